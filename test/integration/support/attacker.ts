/**
 * The attacker's tools: Jira and Confluence REST as a signed-in person, through the local site exactly as
 * their browser or a script with their API token would (same permission checks, same contract checks).
 */
import type { LocalSite } from '../../../local-site/site';

export interface RestAnswer { status: number; body: any }

export async function restAs(site: LocalSite, product: 'jira' | 'confluence', accountId: string, method: string, pathAndQuery: string, body?: unknown): Promise<RestAnswer> {
  const url = new URL(pathAndQuery, 'http://attacker.invalid');
  const res = await site.handleProduct(product, { method, path: url.pathname, query: url.searchParams, headers: {}, body, actor: { kind: 'user', accountId } });
  return { status: res.status, body: res.body };
}

/** Fails the test with Jira's answer when the attacker's own request did not go through (the setup, not the app, broke). */
export function accepted(a: RestAnswer): any {
  if (a.status >= 300) throw new Error(`attacker request refused: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}
