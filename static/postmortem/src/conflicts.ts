/**
 * Reading and writing a postmortem at the dotted paths a merge conflict names
 * (`summary`, `timeline.<id>.text`, `timeline.<id>`, `actionItems.<id>.title`, `whatFailed.<category>.notes`),
 * and describing the values for people. Pure.
 */
import type { ActionItem, Postmortem, TimelineEntry } from '../../../src/contract/postmortem';
import { insertionIndex } from '../../../src/domain/postmortem-merge';
import { formatInstant } from './time';
import { formatDay } from '../../shared/dates';

type Keyed = 'timeline' | 'actionItems' | 'whatFailed';
const KEYED: Record<Keyed, (x: never) => string> = {
  timeline: (e: TimelineEntry) => e.id,
  actionItems: (a: ActionItem) => a.id,
  whatFailed: (w: { category: string }) => w.category,
};

const isKeyed = (k: string): k is Keyed => k in KEYED;

interface Parsed {
  top: keyof Postmortem;
  key?: string;
  field?: string;
}

function parse(path: string): Parsed {
  const [top = '', ...rest] = path.split('.'); // split gives at least one part
  if (isKeyed(top) && rest.length) return { top: top, key: rest[0], field: rest.length > 1 ? rest.slice(1).join('.') : undefined };
  return { top: top as keyof Postmortem, field: rest.length ? rest.join('.') : undefined };
}

function itemOf(pm: Postmortem, top: Keyed, key: string): Record<string, unknown> | undefined {
  const list = pm[top] as unknown as Record<string, unknown>[];
  return list.find((x) => (KEYED[top] as (x: unknown) => string)(x) === key);
}

/** The value at `path`, or undefined when it (or its item) is absent. */
export function valueAt(pm: Postmortem, path: string): unknown {
  const p = parse(path);
  if (p.key !== undefined && isKeyed(p.top)) {
    const item = itemOf(pm, p.top, p.key);
    if (!item || p.field === undefined) return item;
    return item[p.field];
  }
  const v = pm[p.top] as unknown;
  return p.field && v && typeof v === 'object' ? (v as Record<string, unknown>)[p.field] : v;
}

/**
 * `target` with the value at `path` taken from `source` (the side the person chose): a whole list item is
 * copied, inserted where `source` has it, or removed when `source` no longer has it.
 */
export function takeFrom(target: Postmortem, source: Postmortem, path: string): Postmortem {
  const p = parse(path);
  if (p.key !== undefined && isKeyed(p.top)) {
    const keyOf = KEYED[p.top] as (x: unknown) => string;
    const list = [...(target[p.top] as unknown as Record<string, unknown>[])];
    const idx = list.findIndex((x) => keyOf(x) === p.key);
    const fromItem = itemOf(source, p.top, p.key);
    if (p.field === undefined || idx < 0 || !fromItem) {
      if (!fromItem) {
        if (idx >= 0) list.splice(idx, 1);
      } else if (idx >= 0) {
        list[idx] = fromItem;
      } else {
        // Insert after the item that precedes it in the source, or at the start: the merge's own step.
        const sourceList = source[p.top] as unknown as Record<string, unknown>[];
        const pos = sourceList.findIndex((x) => keyOf(x) === p.key);
        list.splice(insertionIndex(list, sourceList, pos, keyOf), 0, fromItem);
      }
    } else {
      const next = { ...list[idx] };
      if (fromItem[p.field] === undefined) delete next[p.field];
      else next[p.field] = fromItem[p.field];
      list[idx] = next;
    }
    return { ...target, [p.top]: list };
  }
  return { ...target, [p.top]: source[p.top] };
}

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  status: 'Status',
  severity: 'Severity',
  incidentKey: 'Incident key',
  summary: 'Summary',
  impact: 'Impact',
  rootCause: 'Root cause',
  incidentOwner: 'Incident owner',
  reviewMeetingAt: 'Review meeting',
  actionItemProjectKey: 'Jira project for action items',
  actionItemIssueType: 'Issue type for action items',
};

const FAILURE_LABELS: Record<string, string> = {
  detection: 'Detection and monitoring',
  escalation: 'Escalation',
  resilience: 'Secondary systems',
  documentation: 'Documentation',
};

/** "Timeline entry “acked, investigating” — text", "Action item “Add alert” — owner", "Summary". */
export function describePath(path: string, mine: Postmortem, theirs: Postmortem): string {
  const p = parse(path);
  if (p.key !== undefined) {
    const item = (itemOf(theirs, p.top as Keyed, p.key) ?? itemOf(mine, p.top as Keyed, p.key));
    const field = p.field ? ` — ${p.field === 'at' ? 'time' : p.field === 'dueDate' ? 'due date' : p.field === 'dropReason' ? 'reason for dropping' : p.field}` : '';
    if (p.top === 'whatFailed') return `What failed: ${FAILURE_LABELS[p.key] ?? p.key}${field}`;
    const name = [item?.title, item?.text].find((v): v is string => typeof v === 'string') ?? p.key;
    const short = name.length > 50 ? `${name.slice(0, 47)}…` : name;
    return `${p.top === 'timeline' ? 'Timeline entry' : 'Action item'} “${short}”${field}`;
  }
  return FIELD_LABELS[p.top] ?? String(p.top);
}

/** A value as a person reads it. */
export function readable(value: unknown, timeZone: string): string {
  if (value === undefined) return '(removed)';
  if (value === null || value === '') return '(empty)';
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatInstant(value, timeZone);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value); // a due date
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => readable(v, timeZone)).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('displayName' in o) return `${String(o.displayName || o.id)} (${o.kind === 'team' ? 'team' : 'person'})`;
    if ('kind' in o && 'text' in o) {
      const e = o as unknown as TimelineEntry;
      return `${formatInstant(e.at, timeZone)} · ${e.kind} · ${e.author ? `${e.author}: ` : ''}${e.text}`;
    }
    if ('title' in o && 'effort' in o) {
      const a = o as unknown as ActionItem;
      const owner = a.owner ? (a.owner).displayName : 'no owner';
      return `${a.title} · ${a.state} · effort ${a.effort}, impact ${a.impact} · ${owner}${a.dueDate ? ` · due ${a.dueDate}` : ''}`;
    }
    if ('notes' in o) return readable(o.notes, timeZone);
    return JSON.stringify(value);
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
