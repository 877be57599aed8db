/**
 * A fast retry policy for tests that inject hundreds of faults: the app's real backoff (250 ms base) would take
 * minutes of wall time. The retry logic is the same; only the waits are shorter. Retry-After is still honoured in
 * full (maxDelayMs as the app's), so a test's injected 429s decide their own waits.
 */
import { DEFAULT_RETRY, withRetryPolicy, type RetryPolicy } from '../../../src/atlassian/request';

export const FAST_RETRY: Readonly<RetryPolicy> = Object.freeze({ ...DEFAULT_RETRY, baseDelayMs: 5 });

/** A test body whose app runs (through the local site) retry under FAST_RETRY. */
export const withFastRetries =
  (work: () => Promise<void>): (() => Promise<void>) =>
  () =>
    withRetryPolicy(FAST_RETRY, work);
