/**
 * The in-process request/response shape every stand-in product (Jira, Confluence, KVS, queues)
 * serves. `__forge_fetch__` and the site's HTTP server both turn their requests into this shape.
 */
import type { SiteState } from '../state/types';

/** Who a request acts as: a user (asUser, or a signed-in person in the site's UI) or the app (asApp). */
export type Actor = { kind: 'user'; accountId: string } | { kind: 'app' };

export interface SiteRequest {
  method: string;
  /** Path without query string, e.g. `/rest/api/3/issue/INC-1`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  actor: Actor;
  /**
   * The site's own product pages asking (the Confluence page around a macro, the Jira issue view), not an app
   * through the Forge API: the benchmarks' injected latency models the app's round trips to the products, so it
   * leaves these out (on Cloud the product renders its own page from its own backend).
   */
  siteUi?: boolean;
}

export interface SiteResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string. `undefined` means an empty body (204). */
  body?: unknown;
}

/** What a route handler gets: the request, the path parameters, the state and the site clock. */
export interface RouteContext {
  req: SiteRequest;
  params: Record<string, string>;
  state: SiteState;
  /** The site's clock: controllable in tests (never use Date.now() directly in the site). */
  now(): Date;
}

export type RouteHandler = (ctx: RouteContext) => SiteResponse | Promise<SiteResponse>;

export interface Route {
  method: string;
  /** OpenAPI-style template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  template: string;
  handler: RouteHandler;
}

/** Helpers for the error bodies Jira and Confluence send. */
export const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}): SiteResponse => ({
  status,
  body: { errorMessages, errors },
});

export const confluenceError = (status: number, message: string): SiteResponse => ({
  status,
  body: { errors: [{ status, code: statusCode(status), title: message, detail: null }] },
});

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'INVALID_REQUEST_PARAMETER';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'NOT_FOUND';
    case 409: return 'CONFLICT';
    default: return 'ERROR';
  }
}
