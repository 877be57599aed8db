/**
 * Confluence v2 cursor paging: `limit` (default 25, 1..250) and an opaque `cursor`; the next page's
 * relative URL goes in `_links.next` and in a `Link: <...>; rel="next"` header, as the real API does.
 */
import type { SiteResponse } from '../http/types';

export interface PageSlice<T> {
  items: T[];
  /** Relative URL of the next page, absent on the last page. */
  next?: string;
}

export class BadRequest extends Error {}

const MAX_LIMIT = 250;

export function parseLimit(query: URLSearchParams, fallback = 25, max = MAX_LIMIT): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`Invalid value for limit: '${raw}'`);
  const n = Number(raw);
  if (n < 1) throw new BadRequest('limit must be at least 1');
  return Math.min(n, max);
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new BadRequest('Invalid cursor');
}

/** One page of `all`, with the link to the next page built from `path` and the request's other query parameters. */
export function cursorPage<T>(all: T[], query: URLSearchParams, path: string): PageSlice<T> {
  const limit = parseLimit(query);
  const cursor = query.get('cursor');
  const offset = cursor ? decodeCursor(cursor) : 0;
  const items = all.slice(offset, offset + limit);
  if (offset + limit >= all.length) return { items };
  const nextQuery = new URLSearchParams(query);
  nextQuery.delete('cursor');
  nextQuery.set('cursor', encodeCursor(offset + limit));
  return { items, next: `${path}?${nextQuery.toString()}` };
}

/** The `MultiEntityResult` response for a slice. */
export function multiEntity<T, R>(slice: PageSlice<T>, render: (item: T) => R): SiteResponse {
  const body = { results: slice.items.map(render), _links: slice.next ? { next: slice.next } : {} };
  return slice.next ? { status: 200, headers: { Link: `<${slice.next}>; rel="next"` }, body } : { status: 200, body };
}
