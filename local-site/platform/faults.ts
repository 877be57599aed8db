/**
 * Test and benchmark knobs for the stand-in products: added latency, 429 storms with Retry-After,
 * 5xx, timeouts and partial bulk failures — plus a log of every request with counts per endpoint.
 */
import type { SiteRequest, SiteResponse } from '../http/types';

export type Product = 'jira' | 'confluence';

export interface FaultRule {
  /** Which requests it applies to; all unset = every product request. */
  /** 'platform': the Forge platform's own APIs reached through the app's proxy (the personal data report). */
  product?: Product | 'platform';
  method?: string;
  /** Matched against the path (string = substring, RegExp = test). */
  path?: string | RegExp;
  kind: 'rate-limit' | 'server-error' | 'timeout' | 'bulk-partial';
  /** Fire at most this many times (default: unlimited). */
  times?: number;
  /** Fire with this probability in [0,1] (default 1). Uses the injector's seeded random. */
  probability?: number;
  /** For rate-limit: the Retry-After header in seconds (default 1). */
  retryAfterSeconds?: number;
  /** For server-error: the status (default 503). */
  status?: number;
  /** For timeout: how long the request hangs before failing (default 100 ms). */
  afterMs?: number;
  /** For bulk-partial: the share of items in a bulk create that fail (default 0.2). */
  failShare?: number;
  /**
   * For bulk-partial: the injected errors carry no `failedElementNumber` (optional in Jira's OpenAPI,
   * BulkOperationErrorResult), so the caller cannot tell which items failed.
   */
  unnumbered?: boolean;
  /**
   * For server-error and timeout: the request is carried out first and only its answer is lost (a gateway
   * timeout after the write, a dropped connection) — the case where a blind retry makes a duplicate.
   */
  afterEffect?: boolean;
}

export interface RequestLogEntry {
  at: string;
  product: Product | 'kvs' | 'queue' | 'platform';
  method: string;
  path: string;
  /** Route template (e.g. /rest/api/3/issue/{issueIdOrKey}) when one matched. */
  endpoint: string;
  status: number;
  actor: string;
  ms: number;
  fault?: FaultRule['kind'];
}

export class RequestTimeoutError extends Error {
  constructor(path: string) {
    super(`Request to ${path} timed out (injected by the local site)`);
    this.name = 'RequestTimeoutError';
  }
}

/** Small deterministic PRNG so that fault runs are repeatable for a given seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  /** Added to every product request an app makes (ms), for benchmarks; not to the site's own pages (SiteRequest.siteUi). */
  latencyMs = 0;
  private rules: { rule: FaultRule; fired: number }[] = [];
  private random: () => number;

  constructor(seed = 42) {
    this.random = mulberry32(seed);
  }

  add(rule: FaultRule): this {
    this.rules.push({ rule, fired: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  reseed(seed: number): void {
    this.random = mulberry32(seed);
  }

  /** The rule that fires for this request, if any (and counts it). */
  pick(product: Product | 'platform', req: Pick<SiteRequest, 'method' | 'path'>): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.product && rule.product !== product) continue;
      if (rule.method && rule.method.toUpperCase() !== req.method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        const ok = typeof rule.path === 'string' ? req.path.includes(rule.path) : rule.path.test(req.path);
        if (!ok) continue;
      }
      if (rule.kind === 'bulk-partial' && !/\/issue\/bulk$/.test(req.path)) continue;
      if (rule.times !== undefined && entry.fired >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      entry.fired += 1;
      return rule;
    }
    return undefined;
  }

  /** Which items of a bulk request fail under a bulk-partial rule (deterministic per seed). */
  failingIndexes(count: number, share: number): Set<number> {
    const failing = new Set<number>();
    for (let i = 0; i < count; i += 1) if (this.random() < share) failing.add(i);
    return failing;
  }

  /** The response an injected fault answers with, when it replaces the real one. */
  static responseFor(rule: FaultRule): SiteResponse | undefined {
    if (rule.kind === 'rate-limit') {
      return {
        status: 429,
        headers: { 'retry-after': String(rule.retryAfterSeconds ?? 1), 'x-ratelimit-reason': 'jira-quota-based' },
        body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
      };
    }
    if (rule.kind === 'server-error') {
      const status = rule.status ?? 503;
      return { status, body: { errorMessages: [`Injected ${status} from the local site.`], errors: {} } };
    }
    return undefined;
  }
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Number of requests matching a filter (all when none). */
  count(filter: Partial<Pick<RequestLogEntry, 'product' | 'method' | 'endpoint' | 'status'>> = {}): number {
    return this.entries.filter((e) => Object.entries(filter).every(([k, v]) => e[k as keyof RequestLogEntry] === v)).length;
  }

  /** `METHOD endpoint` → count, for benchmark tables. */
  byEndpoint(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) {
      const k = `${e.method} ${e.endpoint}`;
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }
}
