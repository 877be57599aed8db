import { JqlError } from './types';
import { tokenize, where, type Token } from './lexer';

// ---------- AST ----------

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

/** Right-hand side of a clause. Numbers are plain values: the field decides how to read them. */
export type Operand =
  | { kind: 'value'; text: string; quoted: boolean; pos: number }
  | { kind: 'empty'; pos: number } // EMPTY / NULL
  | { kind: 'function'; name: string; args: string[]; pos: number }
  | { kind: 'list'; items: Operand[]; pos: number };

export interface FieldRef {
  /** As written (quotes removed): messages quote it back this way, like Jira. */
  name: string;
  pos: number;
}

export type Node =
  | { kind: 'and'; children: Node[] }
  | { kind: 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  | { kind: 'clause'; field: FieldRef; operator: Operator; operand: Operand; pos: number };

export interface SortTerm {
  field: FieldRef;
  direction: 'asc' | 'desc' | undefined;
}

export interface Query {
  /** undefined for an empty query (or ORDER BY alone): matches everything. */
  where: Node | undefined;
  orderBy: SortTerm[] | undefined;
}

// ---------- parser ----------

/** Words that cannot be used unquoted as a field or value (a subset of Jira's reserved words). */
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'was', 'changed']);

const VALID_OPERATORS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

/**
 * Recursive descent over: query := or? (ORDER BY sort (',' sort)*)?
 *   or := and (OR and)*;  and := not (AND not)*;  not := (NOT | '!') not | '(' or ')' | clause
 * so NOT binds tighter than AND, which binds tighter than OR (Jira's precedence).
 */
export function parse(jql: string): Query {
  const tokens = tokenize(jql);
  let i = 0;
  const peek = (): Token => tokens[i];
  const next = (): Token => tokens[i++];
  const isWord = (t: Token, word: string): boolean => t.type === 'word' && t.text.toLowerCase() === word;
  const isAnd = (t: Token): boolean => t.type === 'and' || isWord(t, 'and');
  const isOr = (t: Token): boolean => t.type === 'or' || isWord(t, 'or');
  const isNot = (t: Token): boolean => t.type === 'bang' || isWord(t, 'not');
  const isOrder = (t: Token): boolean => isWord(t, 'order');

  const fail = (message: string, t: Token): never => {
    throw new JqlError([`Error in the JQL Query: ${message} ${where(jql, t.pos)}`]);
  };
  /** "Expecting X but got 'y'." or "Expecting X before the end of the query." */
  const expecting = (what: string, t: Token, suffix = ''): never => {
    const tail = suffix ? ` ${suffix}` : '';
    if (t.type === 'eof') throw new JqlError([`Error in the JQL Query: Expecting ${what} before the end of the query.${tail}`]);
    return fail(`Expecting ${what} but got '${t.raw}'.${tail}`, t);
  };

  const field = (): FieldRef => {
    const t = peek();
    if (t.type === 'string') {
      next();
      return { name: t.text, pos: t.pos };
    }
    if (t.type !== 'word') return expecting('a field name', t);
    if (RESERVED.has(t.text.toLowerCase())) {
      fail(`'${t.raw}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`, t);
    }
    next();
    return { name: t.text, pos: t.pos };
  };

  const operator = (): Operator => {
    const t = next();
    if (t.type === 'op') return t.text as Operator;
    if (t.type === 'bang') return expecting('operator', t, VALID_OPERATORS);
    if (isWord(t, 'in')) return 'in';
    if (isWord(t, 'not')) {
      const u = next();
      if (isWord(u, 'in')) return 'not in';
      return expecting("'IN'", u);
    }
    if (isWord(t, 'is')) {
      if (isWord(peek(), 'not')) {
        next();
        return 'is not';
      }
      return 'is';
    }
    // History operators exist in Jira but the local site keeps no change history: refuse rather than guess.
    if (isWord(t, 'was') || isWord(t, 'changed')) {
      throw new JqlError([`The operator '${t.text.toUpperCase()}' is not supported by the local site: it keeps no issue history.`]);
    }
    return expecting('operator', t, VALID_OPERATORS);
  };

  /** A single value, EMPTY, or function call (not a list). */
  const single = (): Operand => {
    const t = peek();
    if (t.type === 'string') {
      next();
      return { kind: 'value', text: t.text, quoted: true, pos: t.pos };
    }
    if (t.type !== 'word') return expecting('either a value, list or function', t);
    const lower = t.text.toLowerCase();
    if (lower === 'empty' || lower === 'null') {
      next();
      return { kind: 'empty', pos: t.pos };
    }
    if (RESERVED.has(lower)) return expecting('either a value, list or function', t);
    next();
    if (peek().type === 'lparen') {
      next();
      const args: string[] = [];
      if (peek().type !== 'rparen') {
        for (;;) {
          const a = next();
          if (a.type !== 'word' && a.type !== 'string') return expecting('a function argument', a);
          args.push(a.text);
          const sep = next();
          if (sep.type === 'rparen') break;
          if (sep.type !== 'comma') return expecting("either ',' or ')'", sep);
        }
      } else next();
      return { kind: 'function', name: t.text, args, pos: t.pos };
    }
    return { kind: 'value', text: t.text, quoted: false, pos: t.pos };
  };

  const operand = (): Operand => {
    const t = peek();
    if (t.type !== 'lparen') return single();
    next();
    const items: Operand[] = [];
    for (;;) {
      items.push(single());
      const sep = next();
      if (sep.type === 'rparen') break;
      if (sep.type !== 'comma') return expecting("either ',' or ')'", sep);
    }
    return { kind: 'list', items, pos: t.pos };
  };

  const primary = (): Node => {
    const t = peek();
    if (isNot(t)) {
      next();
      return { kind: 'not', child: primary() };
    }
    if (t.type === 'lparen') {
      next();
      const inner = or();
      const close = next();
      if (close.type !== 'rparen') expecting("')'", close);
      return inner;
    }
    const f = field();
    const op = operator();
    return { kind: 'clause', field: f, operator: op, operand: operand(), pos: f.pos };
  };

  const and = (): Node => {
    const children = [primary()];
    while (isAnd(peek())) {
      next();
      children.push(primary());
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  };

  const or = (): Node => {
    const children = [and()];
    while (isOr(peek())) {
      next();
      children.push(and());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  };

  const orderBy = (): SortTerm[] => {
    const order = next();
    // "order = x": someone used the reserved word as a field name.
    if (peek().type === 'op' || isWord(peek(), 'in') || isWord(peek(), 'is')) {
      fail(`'${order.raw}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.`, order);
    }
    const by = next();
    if (!isWord(by, 'by')) expecting("'by'", by);
    const terms: SortTerm[] = [];
    for (;;) {
      const f = field();
      let direction: SortTerm['direction'];
      if (isWord(peek(), 'asc') || isWord(peek(), 'desc')) direction = next().text.toLowerCase() as 'asc' | 'desc';
      terms.push({ field: f, direction });
      const t = peek();
      if (t.type === 'eof') break;
      if (t.type !== 'comma') expecting("either ',' or the end of the query", t);
      next();
    }
    return terms;
  };

  let whereNode: Node | undefined;
  if (peek().type !== 'eof' && !isOrder(peek())) {
    whereNode = or();
    const t = peek();
    if (t.type !== 'eof' && !isOrder(t)) {
      // A stray ')' or a second clause without a conjunction.
      expecting("either 'OR' or 'AND'", t);
    }
  }
  const sort = isOrder(peek()) ? orderBy() : undefined;
  return { where: whereNode, orderBy: sort };
}
