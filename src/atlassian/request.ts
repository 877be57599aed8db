/**
 * One place where the app talks REST to Jira and Confluence: JSON in and out, Atlassian's error bodies
 * turned into readable messages, 429s honoured (Retry-After, jittered backoff) and 5xx retried — a
 * bounded number of times, then a clear failure.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NeedsAuthenticationError, getAppContext, type Route, type RequestInit, type Response } from '@forge/api';
import { JiraNotConnectedError } from './installation';

export type Requester = (path: Route, init?: RequestInit) => Promise<Response>;

export class AtlassianError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly fieldErrors: Record<string, string> = {},
    /** The parsed error body, for callers that need more than the messages (bulk create's per-item errors). */
    readonly body?: unknown,
  ) {
    super(messages.join(' ') || `Atlassian answered ${status}`);
    this.name = 'AtlassianError';
  }
}

/**
 * The user has not allowed the app to act for them (or took it back): every `asUser()` call then fails with
 * `NeedsAuthenticationError` (@forge/api out/api/fetch.js, from the proxy's `forge-proxy-error:
 * NEEDS_AUTHENTICATION_ERR` answer). It is never retried nor turned into a message: a resolver lets it through
 * so that the Atlassian host shows the user its "Allow access" prompt.
 */
export function needsConsent(e: unknown): e is NeedsAuthenticationError {
  return e instanceof NeedsAuthenticationError;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff base for 5xx and for 429 without Retry-After (ms). */
  baseDelayMs: number;
  /** Never wait longer than this for one retry (ms). */
  maxDelayMs: number;
  /**
   * Whether a 5xx or a request that got no answer is tried again (default true). False for writes that are
   * not idempotent (creating issues, posting comments): the failure can come after the write was done, and
   * repeating it blindly makes a duplicate;
   * their callers look for what was written before trying again. A 429 is always retried (nothing was done).
   */
  retryServerErrors?: boolean;
  /** Statuses besides 2xx that mean success for this call (a 303 to the task of an asynchronous operation). */
  acceptStatuses?: readonly number[];
}

/** The app's policy. Frozen: nothing changes it for everyone; a different one is passed in (below). */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 });

/**
 * The policy for the requests of the work passed to `withRetryPolicy`, and of nothing else (AsyncLocalStorage,
 * as @forge/api's runtime scopes an invocation): fault tests drive whole app runs through the local site with a
 * fast policy instead of changing the app's. Production passes none, so every request uses DEFAULT_RETRY.
 */
const scopedPolicy = new AsyncLocalStorage<Readonly<RetryPolicy>>();

export function withRetryPolicy<T>(policy: Readonly<RetryPolicy>, work: () => T): T {
  return scopedPolicy.run(Object.freeze({ ...policy }), work);
}

const currentPolicy = (): Readonly<RetryPolicy> => scopedPolicy.getStore() ?? DEFAULT_RETRY;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a retry needs besides its wait: the request itself and the rest of the resolver's work (ms). */
export const RETRY_RESERVE_MS = 4_000;

/**
 * Time left before the platform ends this invocation (UI resolvers get 25 s, consumers their timeoutSeconds),
 * from @forge/api's getAppContext(); unbounded outside a Forge invocation.
 */
function remainingMs(): number {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Whether waiting `ms` and trying again still ends before the invocation is cut. */
const retryFits = (ms: number) => ms + RETRY_RESERVE_MS <= remainingMs();

/** Full jitter: a random wait up to the exponential bound, so that concurrent callers spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    // Jira asks for at least this long; add a little jitter so that retries do not arrive together.
    return Math.min(policy.maxDelayMs, retryAfterSeconds * 1000 + Math.random() * policy.baseDelayMs);
  }
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return bound / 2 + Math.random() * (bound / 2);
}

function retryable(status: number, policy: RetryPolicy): boolean {
  return status === 429 || (policy.retryServerErrors !== false && (status === 502 || status === 503 || status === 504 || status === 500));
}

async function errorFrom(res: Response): Promise<AtlassianError> {
  let messages: string[] = [];
  let fieldErrors: Record<string, string> = {};
  let parsed: unknown;
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    parsed = body;
    if (Array.isArray(body.errorMessages)) messages = body.errorMessages.map(String);
    if (body.errors && typeof body.errors === 'object' && !Array.isArray(body.errors)) fieldErrors = body.errors as Record<string, string>;
    if (Array.isArray(body.errors)) messages.push(...(body.errors as { title?: string; message?: string }[]).map((e) => String(e.title ?? e.message ?? '')));
    if (typeof body.message === 'string') messages.push(body.message);
  } catch {
    if (text) messages = [text.slice(0, 300)];
  }
  return new AtlassianError(res.status, [...messages, ...Object.values(fieldErrors)].filter(Boolean), fieldErrors, parsed);
}

/** Sends a request, retrying 429/5xx within the policy; resolves to the successful Response. */
export async function send(request: Requester, path: Route, init: RequestInit = {}, policy: RetryPolicy = currentPolicy()): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    let res: Response;
    try {
      res = await request(path, {
        ...init,
        headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...((init.headers) ?? {}) },
      });
    } catch (e) {
      if (needsConsent(e) || e instanceof JiraNotConnectedError) throw e;
      // No answer at all (timeout, dropped connection): like a 5xx, tried again only when repeating is safe.
      const wait = backoffDelay(attempt, policy);
      if (policy.retryServerErrors === false || attempt + 1 >= policy.maxAttempts || !retryFits(wait)) throw e;
      await sleep(wait);
      continue;
    }
    if (res.ok || policy.acceptStatuses?.includes(res.status)) return res;
    if (!retryable(res.status, policy) || attempt + 1 >= policy.maxAttempts) throw await errorFrom(res);
    const retryAfter = res.headers.get('retry-after');
    const wait = backoffDelay(attempt, policy, retryAfter === null ? undefined : Number(retryAfter));
    // A try that cannot finish before the invocation is cut is not started: the caller gets this answer now,
    // which respond() turns into a plain "busy, try again" instead of a cut-off call.
    if (!retryFits(wait)) throw await errorFrom(res);
    await res.text().catch(() => undefined);
    await sleep(wait);
  }
}

/**
 * A Jira or Confluence request with `send`'s retries, resolving to the JSON body. The clients keep one as
 * `requestJira` / `requestConfluence` and call it as `this.requestJira(route`...`, { method: 'POST', ... })`:
 * the shape @forge/lint reads to check that the manifest has the scope each REST call needs, so every
 * call must name its path with `route` and its method as a literal right there (test/static-checks.test.ts).
 */
export type JsonRequest = <T = unknown>(path: Route, init?: JsonRequestInit) => Promise<T>;

/** `retryServerErrors: false` (spread in as `...NOT_IDEMPOTENT`) for writes a blind retry could duplicate. */
export type JsonRequestInit = RequestInit & Pick<RetryPolicy, 'retryServerErrors' | 'acceptStatuses'>;
export const NOT_IDEMPOTENT = { retryServerErrors: false } as const;

export function jsonRequest(request: Requester): JsonRequest {
  return <T>(path: Route, init: JsonRequestInit = {}) => {
    const { retryServerErrors, acceptStatuses, ...rest } = init;
    return sendJson<T>(request, path, rest, { ...currentPolicy(), ...(retryServerErrors === false ? { retryServerErrors } : {}), ...(acceptStatuses ? { acceptStatuses } : {}) });
  };
}

/** `send`, then the JSON body (undefined for 204). */
export async function sendJson<T>(request: Requester, path: Route, init: RequestInit = {}, policy?: RetryPolicy): Promise<T> {
  const res = await send(request, path, init, policy);
  if (res.status === 204 || (res.status >= 300 && res.status < 400)) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Runs `work` for every item with at most `limit` requests in flight: faster than one by one under
 * latency, gentler than all at once on Jira's per-second burst limit.
 */
export async function forEachLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  // One iterator shared by the lanes: each takes the next item, none is taken twice.
  const queue = items.values();
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (const item of queue) await work(item);
  });
  await Promise.all(lanes);
}
