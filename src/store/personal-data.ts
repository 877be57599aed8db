/**
 * The app's ledger of the people it stores data about (Forge storage, one key per account), kept by the weekly
 * personal-data job: what it reports to Atlassian (`privacy.reportPersonalData`) and what it knows to erase.
 *
 * - `pd-account:<hash>`: the account, the names and emails seen stored for it, since when the app stores
 *   something about it (`storedSince`), and when it last fetched the name itself (`checkedAt`). Once a closed
 *   account's data is erased, only `{accountId, erasedAt}` stays, so it is not reported again.
 * - `pd-email:<hash>`: an email typed as an owner that Jira matched to an account (looked up once).
 * - `pd-run`: the job's progress, so a crash resumes where it stopped.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { keyPart } from './storage-keys';
import { isKeyConflict } from './kvs-errors';
import { earlier, type KnownAccount } from '../domain/personal-data';
import { PERSONAL_DATA, stamp, upgradeRecord } from '../domain/storage-schema';

export interface LedgerAccount extends KnownAccount {
  storedSince: string;
  checkedAt?: string;
  /** Set when Atlassian reported the account closed; its data is being erased. */
  closedAt?: string;
  /** Set once erased: names and emails are gone from the ledger too. */
  erasedAt?: string;
}

const ACCOUNT_PREFIX = 'pd-account:';
const accountKey = (accountId: string) => `${ACCOUNT_PREFIX}${keyPart(accountId)}`;
const emailKey = (email: string) => `pd-email:${keyPart(email.toLowerCase())}`;
const RUN_KEY = 'pd-run';
const RUN_CLAIM_KEY = 'pd-run-claim';
/** The platform's batch limit (local-site/platform/kvs MAX_BATCH_ITEMS, as Forge storage). */
const BATCH = 25;
/** Names kept per account: the latest few (a person renamed twice in a year is rare). */
const MAX_NAMES = 10;

export interface Sighting { accountId: string; names: string[]; emails: string[]; storedSince: string }

/** Adds what was seen stored about these accounts; writes only the accounts that changed. */
export async function recordSightings(sightings: Sighting[]): Promise<void> {
  const merged = new Map<string, Sighting>();
  for (const s of sightings) {
    const m = merged.get(s.accountId);
    merged.set(s.accountId, m ? { accountId: s.accountId, names: [...m.names, ...s.names], emails: [...m.emails, ...s.emails], storedSince: earlier(m.storedSince, s.storedSince)! } : s);
  }
  const all = [...merged.values()];
  for (let i = 0; i < all.length; i += BATCH) {
    const group = all.slice(i, i + BATCH);
    const got = await kvs.batchGet<LedgerAccount>(group.map((s) => ({ key: accountKey(s.accountId) })));
    const current = new Map(got.successfulKeys.map((r) => [r.value.accountId, r.value]));
    const writes: { key: string; value: LedgerAccount }[] = [];
    for (const s of group) {
      const before = current.get(s.accountId);
      if (before?.erasedAt) continue; // erased: nothing of theirs is stored any more
      const next: LedgerAccount = {
        ...(before ?? {}),
        accountId: s.accountId,
        names: [...new Set([...(before?.names ?? []), ...s.names.filter((n) => n.trim())])].slice(-MAX_NAMES),
        emails: [...new Set([...(before?.emails ?? []), ...s.emails.map((e) => e.toLowerCase())])],
        storedSince: earlier(before?.storedSince, s.storedSince)!,
      };
      if (!before || JSON.stringify(before) !== JSON.stringify(next)) writes.push({ key: accountKey(s.accountId), value: next });
    }
    if (writes.length) {
      const result = await kvs.batchSet(writes);
      const [failed] = result.failedKeys;
      if (failed) throw new Error(`Could not record stored accounts (${failed.error.message})`);
    }
  }
}

export async function ledgerAccount(accountId: string): Promise<LedgerAccount | undefined> {
  const stored = await kvs.get<LedgerAccount>(accountKey(accountId));
  return stored ? upgradeRecord<LedgerAccount>(PERSONAL_DATA, stored) : undefined;
}

export async function ledgerAccounts(accountIds: string[]): Promise<LedgerAccount[]> {
  const out: LedgerAccount[] = [];
  for (let i = 0; i < accountIds.length; i += BATCH) {
    const got = await kvs.batchGet<LedgerAccount>(accountIds.slice(i, i + BATCH).map((id) => ({ key: accountKey(id) })));
    out.push(...got.successfulKeys.map((r) => upgradeRecord<LedgerAccount>(PERSONAL_DATA, r.value)));
  }
  return out;
}

export async function saveLedgerAccount(account: LedgerAccount): Promise<void> {
  await kvs.set(accountKey(account.accountId), stamp(PERSONAL_DATA, account));
}

/** One page of the ledger (key order); at most 20 a page, the key query maximum. */
export async function ledgerPage(cursor: string | undefined): Promise<{ accounts: LedgerAccount[]; cursor?: string }> {
  let q = kvs.query().where('key', WhereConditions.beginsWith(ACCOUNT_PREFIX)).limit(20);
  if (cursor) q = q.cursor(cursor);
  const out = await q.getMany<LedgerAccount>();
  return { accounts: out.results.map((r) => upgradeRecord<LedgerAccount>(PERSONAL_DATA, r.value)), cursor: out.nextCursor };
}

/** The account an email typed as an owner belongs to: undefined when never looked up, null when Jira knew none. */
export async function accountOfEmail(email: string): Promise<string | null | undefined> {
  const v = await kvs.get<{ accountId: string | null }>(emailKey(email));
  return v === undefined ? undefined : v.accountId;
}

/** Remembers Jira's answer; an unknown email is asked again next week (the person may have joined since). */
export async function recordEmailLookup(email: string, accountId: string | null): Promise<void> {
  await kvs.set(emailKey(email), stamp(PERSONAL_DATA, { accountId }), accountId ? {} : { ttl: { value: 6, unit: 'DAYS' } });
}

export async function forgetEmails(emails: string[]): Promise<void> {
  for (let i = 0; i < emails.length; i += BATCH) await kvs.batchDelete(emails.slice(i, i + BATCH).map((e) => ({ key: emailKey(e) })));
}

/** Where the job stands. Each phase walks its source with a cursor; `closed` and `renamed` carry over to the erase phase. */
export interface PersonalDataRun {
  runId: string;
  startedAt: string;
  phase: 'documents' | 'publish-runs' | 'create-runs' | 'settings-changes' | 'report' | 'erase' | 'finish' | 'done';
  cursor?: string;
  /** Closed accounts whose data is being erased. */
  closed: string[];
  /** Updated accounts and their current names. */
  renamed: { accountId: string; name: string }[];
  reported: number;
  finishedAt?: string;
}

export async function loadRun(): Promise<PersonalDataRun | undefined> {
  const stored = await kvs.get<PersonalDataRun>(RUN_KEY);
  return stored ? upgradeRecord<PersonalDataRun>(PERSONAL_DATA, stored) : undefined;
}

export async function saveRun(run: PersonalDataRun): Promise<void> {
  await kvs.set(RUN_KEY, stamp(PERSONAL_DATA, run));
}

/** Claims the start of a run: a trigger fired twice starts one. Held until the run finishes (a day at most, for a run that died). */
export async function claimRunStart(): Promise<boolean> {
  try {
    await kvs.set(RUN_CLAIM_KEY, stamp(PERSONAL_DATA, { at: new Date().toISOString() }), { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 1, unit: 'DAYS' } });
    return true;
  } catch (e) {
    if (isKeyConflict(e)) return false;
    throw e;
  }
}

export async function releaseRunClaim(): Promise<void> {
  await kvs.delete(RUN_CLAIM_KEY);
}
