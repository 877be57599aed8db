/**
 * The weekly personal-data run (scheduled trigger `pft-weekly-personal-data`, then the `personal-data` queue,
 * as the app). Atlassian asks apps that store account ids or names to report them every week with
 * `privacy.reportPersonalData` (@forge/api; `POST /app/report-accounts`, 90 accounts a call, each with the
 * time the app last retrieved that person's data) and, for each account it answers `closed`, to erase what
 * they keep; for `updated`, to refresh it (developer.atlassian.com/platform/forge/user-privacy-guidelines).
 *
 * One step per queue event, each small enough for any limit (25 postmortems, or a few storage pages):
 *  1. documents, publish-runs, create-runs, settings-changes: note every account stored (the ledger,
 *     src/store/personal-data.ts), with the names and emails seen for it;
 *  2. report: the ledger to Atlassian, 180 accounts a step (the SDK sends them 90 a call); closed accounts are
 *     marked, updated ones get their current name (fetched as the app);
 *  3. erase: every postmortem again: closed accounts become "Former user" in the page property (written on
 *     its current version, retried on a clash), in the index and the digest entry; renamed ones get the new name;
 *  4. finish: closed accounts leave the settings' notified users and the ledger keeps only their id.
 * The run's progress is kept in storage, so a crash resumes at the step it stopped at; each step can run
 * twice without changing more than once. A second run finds nothing to change.
 */
import { InvocationError, InvocationErrorCode, Queue, type AsyncEvent } from '@forge/events';
import { privacy } from '@forge/api';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { malformed } from './malformed-event';
import { ConfluenceClient } from '../atlassian/confluence';
import { JiraClient } from '../atlassian/jira';
import { jiraConnected } from '../atlassian/installation';
import { AtlassianError } from '../atlassian/request';
import { anonymisePostmortem, FORMER_USER, isAccountIdLike, isEmailRef, mentionsIn, refreshNames, reportedUpdatedAt, sameDocument, type KnownAccount } from '../domain/personal-data';
import type { Postmortem } from '../contract/postmortem';
import { queryIndexBatch } from '../store/postmortem-index';
import { readPostmortem, updatePostmortem } from '../store/postmortem-document';
import { loadSettings, storeSettings } from '../store/settings';
import {
  accountOfEmail, claimRunStart, forgetEmails, ledgerAccounts, ledgerPage, loadRun, recordEmailLookup, recordSightings, releaseRunClaim, saveLedgerAccount, saveRun,
  type LedgerAccount, type PersonalDataRun, type Sighting,
} from '../store/personal-data';
import { APP_CHANGE, createRunAccounts, publishRunAccounts, rewriteCopiedOwner, settingsChangeAccounts, type AccountPage } from '../store/personal-data-sources';

export const PERSONAL_DATA_QUEUE = 'personal-data';
/** Postmortems read per step: 25 page-property reads (and writes) fit any invocation limit. */
const DOCUMENTS_PER_STEP = 25;
/** Ledger pages (20 accounts each) reported per step: 180 accounts, two calls of 90. */
const LEDGER_PAGES_PER_STEP = 9;

interface StepEvent { runId: string; step: number }
const stepEventSchema = z.object({ runId: z.string().uuid(), step: z.number().int().min(0) }).strict();

/** The run's next step number is kept on the run itself. */
type Run = PersonalDataRun & { step: number };

async function pushStep(run: Run): Promise<void> {
  const body: StepEvent = { runId: run.runId, step: run.step };
  await new Queue({ key: PERSONAL_DATA_QUEUE }).push([{ body: body as unknown as Record<string, unknown> }]);
}

/** Scheduled trigger: starts a run unless one is going (a trigger fired twice starts one). */
export async function personalDataTrigger(): Promise<{ started: boolean }> {
  if (!(await claimRunStart())) return { started: false };
  const run: Run = { runId: randomUUID(), startedAt: new Date().toISOString(), phase: 'documents', closed: [], renamed: [], reported: 0, step: 0 };
  await saveRun(run);
  await pushStep(run);
  return { started: true };
}

/** Queue consumer: one step of the current run. */
export async function personalDataConsumer(event: AsyncEvent): Promise<unknown> {
  const parsed = stepEventSchema.safeParse(event.body);
  if (!parsed.success) return malformed(PERSONAL_DATA_QUEUE, parsed.error);
  const run = (await loadRun()) as Run | undefined;
  if (!run || run.runId !== parsed.data.runId || run.phase === 'done') return { skipped: 'not the current run' };
  if (parsed.data.step === run.step - 1 && event.retryContext) {
    // This event's step is done, but the push of the next one may have failed: push it again.
    await pushStep(run);
    return { repushed: run.step };
  }
  if (parsed.data.step !== run.step) return { skipped: 'step already done' };
  let next: Run;
  try {
    next = await runStep(run);
  } catch (e) {
    // privacy.reportPersonalData rejects with the Response itself on any status but 200/204 (@forge/api
    // out/privacy/index.js): on 429 wait as long as asked, then this step runs again.
    const answer = e as { status?: unknown; headers?: { get?: (name: string) => string | null } } | null;
    if (answer && answer.status === 429 && typeof answer.headers?.get === 'function') {
      const retryAfter = Math.min(900, Math.max(1, Number(answer.headers.get('retry-after')) || 60));
      return new InvocationError({ retryAfter, retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED });
    }
    throw e;
  }
  next.step = run.step + 1;
  await saveRun(next);
  if (next.phase === 'done') await releaseRunClaim();
  else await pushStep(next);
  return { phase: next.phase };
}

/** Advances to the next source once a source's cursor is exhausted. */
function advance(run: Run, page: { cursor?: string }, then: PersonalDataRun['phase']): Run {
  return page.cursor ? { ...run, cursor: page.cursor } : { ...run, phase: then, cursor: undefined };
}

const toSightings = (page: AccountPage): Sighting[] => page.accounts.filter((a) => isAccountIdLike(a.accountId)).map((a) => ({ accountId: a.accountId, names: [], emails: [], storedSince: a.storedSince }));

export async function runStep(run: Run): Promise<Run> {
  const now = new Date().toISOString();
  switch (run.phase) {
    case 'documents': {
      const batch = await queryIndexBatch({}, run.cursor, DOCUMENTS_PER_STEP);
      const confluence = ConfluenceClient.asApp();
      const sightings: Sighting[] = [];
      for (const { value: entry } of batch.results) {
        const since = entry.createdAt || entry.updatedAt;
        if (entry.ownerAccountId && !isEmailRef(entry.ownerAccountId) && isAccountIdLike(entry.ownerAccountId)) sightings.push({ accountId: entry.ownerAccountId, names: entry.ownerName ? [entry.ownerName] : [], emails: [], storedSince: since });
        const doc = await readDocument(confluence, entry.pageId, entry.localId);
        if (doc) sightings.push(...(await sightingsIn(doc, since)));
      }
      await recordSightings(sightings);
      return advance(run, batch, 'publish-runs');
    }
    case 'publish-runs': {
      const page = await publishRunAccounts(run.cursor);
      await recordSightings(toSightings(page));
      return advance(run, page, 'create-runs');
    }
    case 'create-runs': {
      const page = await createRunAccounts(run.cursor, now);
      await recordSightings(toSightings(page));
      return advance(run, page, 'settings-changes');
    }
    case 'settings-changes': {
      const page = await settingsChangeAccounts(run.cursor);
      const sightings = toSightings(page);
      if (!run.cursor) sightings.push(...(await loadSettings()).publishNotifyUsers.filter(isAccountIdLike).map((accountId) => ({ accountId, names: [], emails: [], storedSince: now })));
      await recordSightings(sightings);
      return advance(run, page, 'report');
    }
    case 'report':
      return reportStep(run, now);
    case 'erase':
      return eraseStep(run);
    case 'finish':
      return finishStep(run, now);
    default:
      return { ...run, phase: 'done' };
  }
}

async function readDocument(confluence: ConfluenceClient, pageId: string, localId: string): Promise<Postmortem | undefined> {
  try {
    return (await readPostmortem(confluence, pageId, localId))?.value;
  } catch (e) {
    // A deleted page takes its property with it: nothing of it is left to report or erase.
    if (e instanceof AtlassianError && e.status === 404) return undefined;
    throw e;
  }
}

/** The accounts a document names; an email typed as an owner counts once Jira has matched it to an account. */
async function sightingsIn(pm: Postmortem, since: string): Promise<Sighting[]> {
  const out: Sighting[] = [];
  for (const m of mentionsIn(pm)) {
    if (m.kind === 'account') {
      out.push({ accountId: m.ref, names: [m.name], emails: [], storedSince: since });
      continue;
    }
    let accountId = await accountOfEmail(m.ref);
    if (accountId === undefined && jiraConnected()) {
      accountId = (await JiraClient.asApp().findUserByEmail(m.ref))?.accountId ?? null;
      await recordEmailLookup(m.ref, accountId);
    }
    if (accountId) out.push({ accountId, names: [m.name], emails: [m.ref], storedSince: since });
  }
  return out;
}

async function reportStep(run: Run, now: string): Promise<Run> {
  const accounts: LedgerAccount[] = [];
  let cursor = run.cursor;
  for (let i = 0; i < LEDGER_PAGES_PER_STEP; i += 1) {
    const page = await ledgerPage(cursor);
    accounts.push(...page.accounts.filter((a) => !a.erasedAt));
    cursor = page.cursor;
    if (!cursor) break;
  }
  const updates = await privacy.reportPersonalData(accounts.map((a) => ({ accountId: a.accountId, updatedAt: reportedUpdatedAt(a) })));
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  const closed = [...run.closed];
  const renamed = [...run.renamed];
  const jira = jiraConnected() ? JiraClient.asApp() : undefined;
  for (const u of updates) {
    const account = byId.get(u.accountId);
    if (!account) continue;
    if (u.status === 'closed') {
      if (!account.closedAt) await saveLedgerAccount({ ...account, closedAt: now });
      if (!closed.includes(u.accountId)) closed.push(u.accountId);
    } else if (u.status === 'updated' && jira) {
      // The current name, fetched as the app: what every copy of the old one becomes.
      const user = await jira.userById(u.accountId);
      if (!user || user.active === false || !user.displayName) continue;
      await saveLedgerAccount({ ...account, names: [user.displayName], checkedAt: now }); // the old name is no longer theirs to keep
      if (!renamed.some((r) => r.accountId === u.accountId)) renamed.push({ accountId: u.accountId, name: user.displayName });
    }
  }
  const next: Run = { ...run, closed, renamed, reported: run.reported + accounts.length };
  if (cursor) return { ...next, cursor };
  return { ...next, cursor: undefined, phase: closed.length || renamed.length ? 'erase' : 'finish' };
}

/** What a stored owner reference becomes: a closed account's id or email → its id and "Former user"; a renamed account → its new name. */
function ownerDecision(closed: KnownAccount[], renamed: Map<string, string>) {
  return (ref: string): { ref: string; name: string } | undefined => {
    const c = closed.find((a) => a.accountId === ref || a.emails.includes(ref.toLowerCase()));
    if (c) return { ref: c.accountId, name: FORMER_USER };
    const name = renamed.get(ref);
    return name === undefined ? undefined : { ref, name };
  };
}

async function eraseStep(run: Run): Promise<Run> {
  const closed = await ledgerAccounts(run.closed);
  const renamed = new Map(run.renamed.map((r) => [r.accountId, r.name]));
  const change = (pm: Postmortem) => refreshNames(anonymisePostmortem(pm, closed), renamed);
  const decide = ownerDecision(closed, renamed);
  const batch = await queryIndexBatch({}, run.cursor, DOCUMENTS_PER_STEP);
  const confluence = ConfluenceClient.asApp();
  for (const { key, value: entry } of batch.results) {
    let stored;
    try {
      stored = await readPostmortem(confluence, entry.pageId, entry.localId);
    } catch (e) {
      if (!(e instanceof AtlassianError && e.status === 404)) throw e;
    }
    if (stored && !sameDocument(stored.value, change(stored.value))) {
      // Written on the property's current version; a person's save in between is re-read and kept.
      await updatePostmortem(confluence, entry.pageId, entry.localId, change, 5, stored);
    }
    await rewriteCopiedOwner(key, decide);
  }
  return advance(run, batch, 'finish');
}

async function finishStep(run: Run, now: string): Promise<Run> {
  if (run.closed.length) {
    const settings = await loadSettings();
    const kept = settings.publishNotifyUsers.filter((id) => !run.closed.includes(id));
    if (kept.length !== settings.publishNotifyUsers.length) {
      await storeSettings({ ...settings, publishNotifyUsers: kept }, { changedAt: now, accountId: APP_CHANGE, summary: 'Closed Atlassian accounts removed from the users notified on Publish.' });
    }
    const accounts = await ledgerAccounts(run.closed);
    await forgetEmails(accounts.flatMap((a) => a.emails));
    for (const a of accounts) if (!a.erasedAt) await saveLedgerAccount({ accountId: a.accountId, names: [], emails: [], storedSince: a.storedSince, erasedAt: now });
  }
  return { ...run, phase: 'done', cursor: undefined, finishedAt: now };
}
