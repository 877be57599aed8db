/**
 * Enhanced JQL search (/search/jql): the injected JQL engine decides what matches and the order;
 * this module restricts to browsable issues and pages with an opaque `nextPageToken`.
 */
import type { JiraIssue } from '../state/types';

/** The JQL engine, injected by whoever wires the site (see local-site/jira/jql). */
export type JqlEngine = (
  jql: string,
  ctx: { currentUser?: string },
) => { matches(i: JiraIssue): boolean; compare(a: JiraIssue, b: JiraIssue): number };

/** What the JQL engine throws for a bad query. */
export interface JqlError extends Error {
  errorMessages: string[];
}

export function isJqlError(e: unknown): e is JqlError {
  return e instanceof Error && Array.isArray((e as Partial<JqlError>).errorMessages);
}

export const DEFAULT_MAX_RESULTS = 50;
/** Jira returns at most 5000 issues a page when only ids/keys are asked for; we cap full issues at 100. */
export const MAX_RESULTS_IDS_ONLY = 5000;
export const MAX_RESULTS_FULL = 100;

/** FNV-1a, enough to tell one JQL from another inside a page token. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export function encodePageToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, q: hash(jql) }), 'utf8').toString('base64url');
}

/** The offset a token stands for, or undefined when it is malformed or was issued for another JQL. */
export function decodePageToken(jql: string, token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { o, q } = parsed as { o?: unknown; q?: unknown };
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || q !== hash(jql)) return undefined;
    return o;
  } catch {
    return undefined;
  }
}

export const INVALID_TOKEN = 'The provided next page token is invalid or expired.';

/** Matching issues the caller may browse, in the query's order (stable). Throws the engine's JqlError. */
export function runJql(engine: JqlEngine, jql: string, currentUser: string | undefined, issues: JiraIssue[], visible: (i: JiraIssue) => boolean): JiraIssue[] {
  const q = engine(jql, { currentUser });
  return issues
    .filter((i) => visible(i) && q.matches(i))
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => q.compare(a.issue, b.issue) || a.index - b.index)
    .map((x) => x.issue);
}

export interface Page {
  issues: JiraIssue[];
  nextPageToken?: string;
  isLast: boolean;
}

export function pageOf(all: JiraIssue[], jql: string, offset: number, maxResults: number): Page {
  const issues = all.slice(offset, offset + maxResults);
  const end = offset + issues.length;
  const isLast = end >= all.length;
  return isLast ? { issues, isLast } : { issues, nextPageToken: encodePageToken(jql, end), isLast };
}
