/**
 * "Import from INC-…": timeline rows from an incident's Jira history (its creation, the status, resolution,
 * priority and assignee changes of its changelog, and its comments), with their kind guessed, and the rule that
 * merges them into a timeline without duplicates. Pure: the history is read elsewhere (src/atlassian/jira.ts).
 *
 * Each imported row has an identity built from Jira's own ids (issue id + changelog entry id or comment id),
 * never from text a person wrote, so importing twice adds nothing, even after the rows were edited.
 */
import type { TimelineEntry, TimelineKind } from '../contract/postmortem';
import { entryTime } from './timeline';

/** One field change of a changelog entry, as names (Jira's `fromString` / `toString`). */
export interface HistoryChangeItem {
  field: string;
  from: string | null;
  to: string | null;
}

/** The incident's history as Jira answers it (already paged through). Authors are display names. */
export interface IncidentHistory {
  issueId: string;
  issueKey: string;
  summary: string;
  /** Jira's `created` of the issue. */
  created: string;
  creator: string | null;
  /** Changelog entries, any order. */
  changes: { id: string; created: string; author: string | null; items: HistoryChangeItem[] }[];
  /** Comments, any order; `body` is the ADF document a person wrote. */
  comments: { id: string; created: string; author: string | null; body: unknown }[];
}

/** The fields whose changes become rows; the rest of an issue's history (labels, description…) is not the incident's story. */
const FIELDS = new Set(['status', 'resolution', 'priority', 'assignee']);

/** A comment is shown up to this many characters: the timeline is a list of moments, not a copy of the thread. */
export const COMMENT_CHARS = 280;

/** Jira's ids are digits; anything else (never expected) is reduced so an id can never carry markup or grow long. */
function idPart(raw: string): string {
  return String(raw).replace(/[^A-Za-z0-9]/g, '').slice(0, 20) || 'x';
}

/** The stable identity of an imported row: the same Jira event always gives the same id. */
export function importedEntryId(issueId: string, what: 'created' | { change: string } | { comment: string }): string {
  const base = `jira-${idPart(issueId)}`;
  if (what === 'created') return `${base}-created`;
  return 'change' in what ? `${base}-change-${idPart(what.change)}` : `${base}-comment-${idPart(what.comment)}`;
}

/** Jira writes `2026-11-20T14:03:11.123+0000`; the timeline stores ISO 8601 in UTC. Null when unreadable. */
export function jiraInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * The text of a person-written ADF document as one plain line: text nodes as they are, mentions by their
 * name, every block and line break a space. Never markup: whatever the text says stays text.
 */
export function plainText(doc: unknown, max = COMMENT_CHARS): string {
  const parts: string[] = [];
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 50) return;
    const n = node as { type?: unknown; text?: unknown; attrs?: { text?: unknown }; content?: unknown };
    if (n.type === 'text' && typeof n.text === 'string') parts.push(n.text);
    else if ((n.type === 'mention' || n.type === 'emoji') && typeof n.attrs?.text === 'string') parts.push(n.attrs.text);
    else if (n.type === 'hardBreak') parts.push(' ');
    if (Array.isArray(n.content)) {
      for (const child of n.content) walk(child, depth + 1);
      parts.push(' ');
    }
  };
  walk(doc, 0);
  const line = parts.join('').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const describe = (i: HistoryChangeItem): string | undefined => {
  switch (i.field) {
    case 'status':
      return `Status ${i.from ?? '—'} → ${i.to ?? '—'}`;
    case 'priority':
      return `Priority ${i.from ?? '—'} → ${i.to ?? '—'}`;
    case 'assignee':
      return i.to ? `Assigned to ${i.to}` : `Unassigned${i.from ? ` (was ${i.from})` : ''}`;
    case 'resolution':
      return i.to ? `Resolved as ${i.to}` : 'Reopened';
    default:
      return undefined;
  }
};

/** Statuses whose names say the bleeding stopped but the work goes on. */
const MITIGATED = /\b(mitigat|workaround|monitor|recover)/i;

/**
 * The kind of each row, in time order:
 * - the issue's creation → detection (the incident was noticed when it was reported);
 * - a change that sets a resolution → resolution (a reopened and resolved-again incident has several; the
 *   metrics take the last);
 * - the first status change that is not a resolution → response (someone started working on it);
 * - a later status change to a status named like "Mitigated" or "Monitoring" → remediation;
 * - everything else (priority and assignee changes, other status changes, a reopening, comments) → note.
 */
export function timelineFromIncidentHistory(history: IncidentHistory): TimelineEntry[] {
  type Row = { entry: TimelineEntry; t: number; order: number };
  const rows: Row[] = [];
  const created = jiraInstant(history.created);
  if (created) {
    const summary = history.summary.replace(/\s+/g, ' ').trim();
    rows.push({
      entry: { id: importedEntryId(history.issueId, 'created'), at: created, kind: 'detection', text: `${history.issueKey} created${summary ? `: ${summary}` : ''}`, ...(history.creator ? { author: history.creator } : {}) },
      t: Date.parse(created),
      order: 0,
    });
  }

  const changes = history.changes
    .map((c) => ({ c, at: jiraInstant(c.created), items: c.items.filter((i) => FIELDS.has(i.field)) }))
    .filter((x): x is typeof x & { at: string } => x.at !== null && x.items.length > 0)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.c.id) - Number(b.c.id));
  let responded = false;
  for (const { c, at, items } of changes) {
    const resolved = items.some((i) => i.field === 'resolution' && i.to);
    const status = items.find((i) => i.field === 'status');
    let kind: TimelineKind = 'note';
    if (resolved) kind = 'resolution';
    else if (status && !responded && !items.some((i) => i.field === 'resolution')) kind = 'response';
    else if (status?.to && MITIGATED.test(status.to)) kind = 'remediation';
    if (status || resolved) responded = true;
    const text = items.map(describe).filter(Boolean).join('; ');
    rows.push({ entry: { id: importedEntryId(history.issueId, { change: c.id }), at, kind, text, ...(c.author ? { author: c.author } : {}) }, t: Date.parse(at), order: 1 });
  }

  for (const comment of history.comments) {
    const at = jiraInstant(comment.created);
    if (!at) continue;
    const text = plainText(comment.body);
    rows.push({ entry: { id: importedEntryId(history.issueId, { comment: comment.id }), at, kind: 'note', text: text ? `Comment: ${text}` : 'Comment', ...(comment.author ? { author: comment.author } : {}) }, t: Date.parse(at), order: 2 });
  }
  return rows.sort((a, b) => a.t - b.t || a.order - b.order).map((r) => r.entry);
}

export interface ImportMerge {
  /** Imported rows the timeline does not have yet, in time order. */
  toAdd: TimelineEntry[];
  /** Imported rows it already has (by identity, or the same milestone at the same instant). */
  alreadyThere: TimelineEntry[];
}

/**
 * Which imported rows are new. A row is already there when the timeline holds a row with its id (imported
 * before, maybe edited since), or a milestone of the same kind at the same instant (the detection and
 * resolution rows *Create postmortem* wrote from the same incident), or a note with the same time and text.
 */
export function mergeImportedTimeline(existing: TimelineEntry[], imported: TimelineEntry[]): ImportMerge {
  const ids = new Set(existing.map((e) => e.id));
  const sameMoment = new Set(
    existing.map((e) => {
      const t = entryTime(e);
      return t === null ? '' : `${e.kind}|${t}|${e.kind === 'note' ? e.text.trim() : ''}`;
    }),
  );
  const toAdd: TimelineEntry[] = [];
  const alreadyThere: TimelineEntry[] = [];
  for (const entry of imported) {
    const t = entryTime(entry);
    const moment = t === null ? null : `${entry.kind}|${t}|${entry.kind === 'note' ? entry.text.trim() : ''}`;
    if (ids.has(entry.id) || (moment !== null && sameMoment.has(moment))) alreadyThere.push(entry);
    else {
      toAdd.push(entry);
      ids.add(entry.id);
    }
  }
  return { toAdd, alreadyThere };
}
