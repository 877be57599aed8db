/**
 * Brings stored data to the current format after a new version is deployed.
 *
 * Started by Forge's lifecycle event `avi:forge:upgraded:app` (manifest `trigger`; developer.atlassian.com/
 * platform/forge/events-reference/life-cycle: sent when an installed app is upgraded to a new *major*
 * version, never for a minor or patch one) and, because a minor deploy sends nothing, also checked by a
 * daily scheduled trigger: when the stored progress says this format is done, that check costs one KVS read.
 *
 * The work goes through the `storage-upgrade` queue, one page of the index per event, each event pushing the
 * next. Per entry: the stored format is upgraded (src/domain/storage-schema.ts), and an entry written before
 * incident dates existed gets them from its postmortem document (read as the app). Every write is
 * conditional on the entry being unchanged since it was read, and an entry already current is skipped, so a
 * rerun changes nothing. The cursor is saved after each page: a crash retries that page, a chain that ends
 * (retries used up, the platform's 1000-push chain limit) is resumed by the next daily check.
 *
 * Everything else the app stores is upgraded when it is read (every store calls `upgradeRecord`), so only
 * the index, whose by-date queries cannot see an entry without `incidentAt`, needs the walk.
 */
import { randomUUID } from 'node:crypto';
import { Queue, InvocationError, InvocationErrorCode, type AsyncEvent } from '@forge/events';
import { z } from 'zod';
import { ConfluenceClient } from '../atlassian/confluence';
import { AtlassianError } from '../atlassian/request';
import type { Postmortem } from '../contract/postmortem';
import { computeTimelineMetrics } from '../domain/timeline';
import { NewerSchemaError, UnreadableRecordError, withIncidentDates } from '../domain/storage-schema';
import { readPostmortem } from '../store/postmortem-document';
import { fromText } from '../store/postmortem-index';
import { textEntryFor } from '../domain/postmortem-index';
import { indexEntryIsCurrent, indexPage, loadProgress, rawTextEntry, replaceIndexEntry, saveProgress, textEntryIsCurrent, type UpgradeProgress } from '../store/storage-upgrade';
import { malformed, type MalformedEvent } from './malformed-event';

export const STORAGE_UPGRADE_QUEUE = 'storage-upgrade';
/** Bumped whenever a release needs stored data walked again (a new step in src/domain/storage-schema.ts that needs I/O). */
export const STORAGE_FORMAT = 2;
/** Index entries per event: at most one Confluence read each, far inside a consumer's time limit. */
export const ENTRIES_PER_EVENT = 25;
/** Tests make pages smaller to cross page boundaries with few entries; the logic is the same. */
export const upgradeTuning = { entriesPerEvent: ENTRIES_PER_EVENT };
/** A run whose progress has not moved for this long is taken to have stopped, and the daily check resumes it. */
export const STALLED_AFTER_MS = 60 * 60_000;

const eventSchema = z.object({ runId: z.string().uuid(), step: z.number().int().min(0) }).strict();
export type StorageUpgradeEvent = z.infer<typeof eventSchema>;

const queue = () => new Queue({ key: STORAGE_UPGRADE_QUEUE });

/**
 * Starts (or resumes) the upgrade unless it is done or running. Both the lifecycle trigger and the daily
 * check call this; a second start while one runs changes nothing. A resumed run keeps its cursor.
 */
export async function startStorageUpgrade(now = new Date()): Promise<'done' | 'running' | 'started'> {
  const progress = await loadProgress();
  if (progress && progress.target >= STORAGE_FORMAT && progress.done) return 'done';
  if (progress && progress.target === STORAGE_FORMAT && !progress.done && now.getTime() - Date.parse(progress.updatedAt) < STALLED_AFTER_MS) return 'running';
  const resume = progress && progress.target === STORAGE_FORMAT ? progress : undefined;
  if (!progress && !(await indexPage(undefined, 1)).rows.length) {
    // A new installation: nothing stored yet, and everything written from now on is in the current format.
    await saveProgress({ target: STORAGE_FORMAT, runId: randomUUID(), step: 0, done: true, startedAt: now.toISOString(), updatedAt: now.toISOString(), counts: { seen: 0, upgraded: 0, datesFilled: 0, textWritten: 0, skipped: 0 } });
    return 'done';
  }
  const next: UpgradeProgress = {
    target: STORAGE_FORMAT,
    runId: randomUUID(),
    step: 0,
    ...(resume?.cursor ? { cursor: resume.cursor } : {}),
    done: false,
    startedAt: resume?.startedAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
    counts: resume?.counts ?? { seen: 0, upgraded: 0, datesFilled: 0, textWritten: 0, skipped: 0 },
  };
  await saveProgress(next);
  await queue().push([{ body: { runId: next.runId, step: 0 } }]);
  return 'started';
}

/** `avi:forge:upgraded:app` (and the daily check, a scheduled trigger): the platform ignores the answer. */
export async function storageUpgradeTrigger(): Promise<void> {
  const outcome = await startStorageUpgrade();
  // Logged only when it starts: the daily check finding it done says nothing new.
  if (outcome === 'started') console.info(`Storage upgrade to format ${STORAGE_FORMAT} started`);
}

/** One page of the index per event. */
export async function storageUpgradeConsumer(event: AsyncEvent): Promise<InvocationError | MalformedEvent | UpgradeProgress | undefined> {
  const parsed = eventSchema.safeParse(event.body);
  if (!parsed.success) return malformed(STORAGE_UPGRADE_QUEUE, parsed.error);
  const { runId, step } = parsed.data;
  const progress = await loadProgress();
  if (!progress || progress.runId !== runId || progress.done) return undefined; // another start took over, or finished
  // The event before this one pushed it just before saving its progress: wait for that save.
  if (progress.step === step - 1) return new InvocationError({ retryAfter: 5, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  if (progress.step !== step) return undefined; // a repeated delivery of a page already done

  const page = await indexPage(progress.cursor, upgradeTuning.entriesPerEvent);
  const counts = { ...progress.counts };
  const confluence = ConfluenceClient.asApp();
  for (const row of page.rows) {
    counts.seen += 1;
    const outcome = await upgradeEntry(confluence, row);
    if (outcome.upgraded) counts.upgraded += 1;
    if (outcome.datesFilled) counts.datesFilled += 1;
    if (outcome.textWritten) counts.textWritten += 1;
    if (outcome.skipped) counts.skipped += 1;
  }
  const done = !page.cursor;
  const next: UpgradeProgress = { ...progress, step: step + 1, done, counts, updatedAt: new Date().toISOString() };
  if (page.cursor) next.cursor = page.cursor;
  else delete next.cursor;
  // Pushed before the progress is saved: a crash in between leaves this event to be retried (same step),
  // never a saved step with no event to carry it on.
  if (!done) await queue().push([{ body: { runId, step: step + 1 } }]);
  await saveProgress(next);
  if (done) console.info(`Storage upgrade to format ${STORAGE_FORMAT} done`, counts);
  return next;
}

interface EntryOutcome { upgraded: boolean; datesFilled: boolean; textWritten: boolean; skipped: boolean }

async function upgradeEntry(confluence: ConfluenceClient, row: Awaited<ReturnType<typeof indexPage>>['rows'][number]): Promise<EntryOutcome> {
  const none: EntryOutcome = { upgraded: false, datesFilled: false, textWritten: false, skipped: false };
  const rawText = await rawTextEntry(row.key);
  const needsDates = !row.entry.incidentAt;
  const needsText = !rawText;
  if (indexEntryIsCurrent(row.raw) && !needsDates && (needsText ? false : textEntryIsCurrent(rawText))) return none;
  let entry = row.entry;
  let document: Postmortem | undefined;
  if (needsDates || needsText) {
    try {
      document = (await readPostmortem(confluence, entry.pageId, entry.localId))?.value;
    } catch (e) {
      // A page gone or hidden from the app, or a document from a newer release: that entry stays as it is.
      if ((e instanceof AtlassianError && (e.status === 403 || e.status === 404)) || e instanceof NewerSchemaError || e instanceof UnreadableRecordError) return { ...none, skipped: true };
      throw e;
    }
    if (!document) return { ...none, skipped: true };
  }
  if (needsDates && document) entry = withIncidentDates(entry, computeTimelineMetrics(document.timeline));
  const text =
    document && (needsText || needsDates)
      ? textEntryFor(entry.pageId, entry.localId, entry.incidentAt!, document)
      : rawText && !textEntryIsCurrent(rawText)
        ? fromText(rawText)
        : undefined;
  const written = await replaceIndexEntry(row.key, String(row.raw.updatedAt), entry, text);
  if (!written) return { ...none, skipped: true };
  return { upgraded: !indexEntryIsCurrent(row.raw), datesFilled: needsDates, textWritten: !!text, skipped: false };
}
