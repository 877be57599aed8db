/**
 * JQL for the local Jira: compileJql(jql, ctx) parses and validates a query against the site state
 * (unknown fields, values, operators and functions throw JqlError with Jira's wording) and returns a
 * matcher plus an ORDER BY comparator.
 *
 * Without ORDER BY the order is `created DESC, key DESC`; every order ends with the numeric issue id
 * (ascending) as a final tiebreak so that paging through results is stable.
 */
import { Compiler } from './evaluate';
import { parse } from './parser';
import type { CompiledJql, JqlContext } from './types';

export { JqlError } from './types';
export type { CompiledJql, EntityPropertyAlias, JqlContext } from './types';

export function compileJql(jql: string, ctx: JqlContext): CompiledJql {
  const query = parse(jql);
  const compiler = new Compiler(ctx);
  const matches = query.where ? compiler.compile(query.where) : () => true;
  const compare = compiler.compileSort(query.orderBy);
  return { matches, compare };
}
