/**
 * Schema versions of everything the app stores, and the pure steps that upgrade an older record to the
 * current shape when it is read. Nothing here does I/O: the stores (src/store) call `fromStorage` on every
 * read and `toStorage` on every write, so a record written by any earlier release reads as today's shape and
 * is written back in it the next time it changes.
 *
 * Version 1 is every record written before versions were kept (no `schemaVersion` field): that is the format
 * of the releases up to issue 17, captured in test/fixtures/storage-v1. A record from a newer release (a
 * version above `current`) is refused with `NewerSchemaError`: it is never guessed at, and never overwritten.
 */
import { tagsOfEntry } from './postmortem-index';

/** The field every stored record carries (the postmortem document keeps its own `schema`, see below). */
export const VERSION_FIELD = 'schemaVersion';

export class NewerSchemaError extends Error {
  constructor(
    readonly kind: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(`This ${kind} was stored by a newer version of the app (format ${found}; this version reads up to ${supported}). It was left unchanged: update the app to read it.`);
    this.name = 'NewerSchemaError';
  }
}

export class UnreadableRecordError extends Error {
  constructor(readonly kind: string, why: string) {
    super(`A stored ${kind} could not be read (${why}). It was left unchanged.`);
    this.name = 'UnreadableRecordError';
  }
}

/** `steps[n]` turns a record of version n into version n + 1 (without its version field). */
export interface SchemaChain {
  kind: string;
  current: number;
  steps: Record<number, (record: never) => unknown>;
}

function versionOf(kind: string, raw: unknown, field: string): number {
  if (raw === null || raw === undefined) throw new UnreadableRecordError(kind, 'empty');
  if (typeof raw !== 'object' || Array.isArray(raw)) return 1; // only the first format stored bare values
  const v = (raw as Record<string, unknown>)[field];
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UnreadableRecordError(kind, `format ${JSON.stringify(v)} is not a version`);
  return v;
}

/** The record in the current shape (pure; the input is never changed). Throws NewerSchemaError for a newer format. */
export function upgradeRecord<T>(chain: SchemaChain, raw: unknown, field = VERSION_FIELD): T {
  let version = versionOf(chain.kind, raw, field);
  if (version > chain.current) throw new NewerSchemaError(chain.kind, version, chain.current);
  let value: unknown = raw;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { [field]: _version, ...rest } = value as Record<string, unknown>;
    value = rest;
  }
  while (version < chain.current) {
    const step = chain.steps[version];
    if (!step) throw new Error(`No upgrade step for ${chain.kind} from format ${version}`);
    value = step(value as never);
    version += 1;
  }
  if (!value || typeof value !== 'object') throw new UnreadableRecordError(chain.kind, 'not an object');
  return value as T;
}

/** What is written: the record with the current version. */
export function stamp<T extends object>(chain: SchemaChain, value: T): T & { schemaVersion: number } {
  return { ...value, [VERSION_FIELD]: chain.current };
}

/** True when the record, as stored, is already in the current format (the backfill skips it). */
export function isCurrent(chain: SchemaChain, raw: unknown): boolean {
  return versionOf(chain.kind, raw, VERSION_FIELD) === chain.current;
}

/** A record whose only change in format 2 is that it carries its version. */
const addVersionOnly = <T>(r: T): T => r;

// ---------- the chains, one per stored record ----------

/** `app-issue:*`: the app's own record of an issue it created. 1 → 2: versioned. */
export const APP_ISSUE = { kind: 'record of a created issue', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `create-attempts:*`: secret tokens of creation attempts. */
export const CREATE_ATTEMPTS = { kind: 'creation attempt', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `create-run:*`: a background issue run's progress. */
export const CREATE_RUN = { kind: 'issue run', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `digest-entry` entity. */
export const DIGEST_ENTRY = { kind: 'digest entry', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `comment-claim:*`. */
export const COMMENT_CLAIM = { kind: 'comment claim', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `lease:*`. */
export const LEASE = { kind: 'lease', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `publish-run:*`. */
export const PUBLISH_RUN = { kind: 'publish progress', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `settings:smtp-password-ref`. */
export const PASSWORD_REF = { kind: 'SMTP password reference', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `settings-change` entity (the audit trail). */
export const SETTINGS_CHANGE = { kind: 'settings change', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** `postmortem-text` entity. */
export const POSTMORTEM_TEXT = { kind: 'postmortem search text', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;
/** The personal-data run's ledger of stored accounts (`pd-account:*`), e-mail lookups and its run record (issue 17). */
export const PERSONAL_DATA = { kind: 'personal-data record', current: 1, steps: {} } satisfies SchemaChain;
/** `jira:default-priority`: Jira's default priority as last looked up (src/services/default-priority.ts). */
export const DEFAULT_PRIORITY = { kind: 'Jira default priority', current: 1, steps: {} } satisfies SchemaChain;
/** The storage upgrade's own progress record. */
export const UPGRADE_PROGRESS = { kind: 'storage upgrade progress', current: 1, steps: {} } satisfies SchemaChain;

/**
 * `settings:v1`: the saved settings. Format 1 stored only what the admin had saved (fields added by later
 * releases absent); 1 → 2 keeps exactly that. Defaults are applied on every read (domain/settings
 * `withDefaults`), never stored, so a default changed by a release still reaches those who never chose.
 */
export const SETTINGS = { kind: 'settings', current: 2, steps: { 1: addVersionOnly } } satisfies SchemaChain;

interface HistoryV1 { count?: number; lastAt?: string | null; flaggedAt?: string | null; records?: unknown[]; appWrite?: unknown }
/**
 * `followups:*`: the follow-ups posted on an issue. Format 1 kept `count` beside the records; a history
 * written by the first release could lack `flaggedAt` (no hand-over yet). 1 → 2: `count` is the number of
 * records (what every reader meant by it), `flaggedAt` null when absent.
 */
export const FOLLOW_UP_HISTORY = {
  kind: 'follow-up history',
  current: 2,
  steps: {
    1: (h: HistoryV1) => {
      const records = Array.isArray(h.records) ? h.records : [];
      return { ...h, records, count: records.length, lastAt: h.lastAt ?? null, flaggedAt: h.flaggedAt ?? null };
    },
  },
} satisfies SchemaChain;

/**
 * `incident-reminder:*`: format 1 stored the bare ISO instant the reminder was sent (a string, so it could
 * carry no version); 2 stores `{ at }`.
 */
export const INCIDENT_REMINDER = {
  kind: 'incident reminder',
  current: 2,
  steps: {
    1: (v: unknown) => {
      if (typeof v === 'string') return { at: v };
      if (v && typeof v === 'object' && typeof (v as { at?: unknown }).at === 'string') return v;
      throw new UnreadableRecordError('incident reminder', 'neither an instant nor { at }');
    },
  },
} satisfies SchemaChain;

interface IndexEntryV1 { tags?: string; tagKeys?: string; ownerName?: string; [k: string]: unknown }

/** The tags of a format-1 index entry: a JSON list, or (the first release) comma-joined — the index's own reader. */
export const tagsOfStoredEntry = tagsOfEntry;

const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
/** As src/store/postmortem-index `tagKey` (kept here so the step stays pure and fixed: a later change there must not alter old upgrades). */
const tagKeyV2 = (tag: string) => normalise(tag).replace(/%/g, '%25').replace(/,/g, '%2C');

/**
 * `postmortem` entity (the index). Format 1 covers three releases: the first stored tags comma-joined and no
 * owner name, search keys or incident dates; later ones added them. 1 → 2: tags as a JSON list, `tagKeys`
 * built from them, `ownerName` '' when absent. Incident dates cannot come from the entry itself: the storage
 * upgrade fills them from the postmortem document (`withIncidentDates`).
 */
export const POSTMORTEM_INDEX = {
  kind: 'postmortem index entry',
  current: 2,
  steps: {
    1: (e: IndexEntryV1) => {
      const tags = tagsOfStoredEntry(e.tags);
      return { ...e, tags: JSON.stringify(tags), tagKeys: e.tagKeys ?? `,${tags.map(tagKeyV2).join(',')},`, ownerName: e.ownerName ?? '' };
    },
  },
} satisfies SchemaChain;

/** The incident dates an index entry carries, as computed from the postmortem's timeline. */
export interface IncidentDates {
  startedAt: string | null;
  detectedAt: string | null;
  resolvedAt: string | null;
  timeToDetectMs: number | null;
  timeToResolveMs: number | null;
}

/**
 * An index entry with the incident dates its postmortem's timeline gives (pure), exactly as a save computes
 * them (store/postmortem-index `indexEntryFor`): the incident is the initial failure, else the detection,
 * else when the postmortem was first indexed. Every other field is kept: the backfill changes no meaning.
 */
export function withIncidentDates<E extends { createdAt: string }>(entry: E, dates: IncidentDates): E & { incidentAt: string; startedAt: string; detectedAt: string; resolvedAt: string; ttdMinutes?: number; ttrMinutes?: number } {
  const { ttdMinutes: _d, ttrMinutes: _r, ...rest } = entry as E & { ttdMinutes?: number; ttrMinutes?: number };
  const out = {
    ...rest,
    incidentAt: dates.startedAt ?? dates.detectedAt ?? entry.createdAt,
    startedAt: dates.startedAt ?? '',
    detectedAt: dates.detectedAt ?? '',
    resolvedAt: dates.resolvedAt ?? '',
  } as E & { incidentAt: string; startedAt: string; detectedAt: string; resolvedAt: string; ttdMinutes?: number; ttrMinutes?: number };
  if (dates.timeToDetectMs != null) out.ttdMinutes = Math.round(dates.timeToDetectMs / 60_000);
  if (dates.timeToResolveMs != null) out.ttrMinutes = Math.round(dates.timeToResolveMs / 60_000);
  return out;
}

/**
 * The postmortem document (page property `pft-postmortem-<localId>`) has carried `schema: 1` since the first
 * release, so its chain has no step yet; a document with a newer `schema` is refused, never edited.
 */
export const POSTMORTEM_DOCUMENT = { kind: 'postmortem document', current: 1, steps: {} } satisfies SchemaChain;
export const DOCUMENT_VERSION_FIELD = 'schema';

/** The document in the current shape, its `schema` kept (the UI and the save validation read it). */
export function upgradeDocument<T>(raw: unknown): T {
  const upgraded = upgradeRecord<Record<string, unknown>>(POSTMORTEM_DOCUMENT, raw, DOCUMENT_VERSION_FIELD);
  return { ...upgraded, [DOCUMENT_VERSION_FIELD]: POSTMORTEM_DOCUMENT.current } as T;
}
