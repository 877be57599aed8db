/**
 * Time to detect / respond / mitigate / resolve, computed from the postmortem's timeline (the essay's
 * "times of the initial failure, initial detection, response, any remediation steps taken, and final
 * resolution"). These numbers feed the document header and the cross-incident insights, so an
 * inconsistent timeline yields null plus a warning rather than a negative duration that would skew averages.
 */
import type { TimelineEntry, TimelineKind } from '../contract/postmortem';

export interface TimelineMetrics {
  timeToDetectMs: number | null;
  timeToRespondMs: number | null;
  timeToMitigateMs: number | null;
  timeToResolveMs: number | null;
  startedAt: string | null;
  detectedAt: string | null;
  respondedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  warnings: string[];
}

/** What each kind of timeline entry is called, in the macro, the export and the warnings. */
export const TIMELINE_KIND_LABEL: Record<TimelineKind, string> = {
  'initial-failure': 'Initial failure',
  detection: 'Detection',
  response: 'Response',
  remediation: 'Remediation',
  resolution: 'Resolution',
  note: 'Note',
};

/** Milliseconds since the epoch, or null for a missing or unreadable time. */
export function entryTime(entry: TimelineEntry): number | null {
  if (entry.at == null || entry.at === '') return null;
  const t = Date.parse(entry.at);
  return Number.isNaN(t) ? null : t;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `“${oneLine.slice(0, 57)}…”` : `“${oneLine}”`;
}

/** The earliest (or, for resolution, latest) timed entry of a kind. */
function pick(timed: { entry: TimelineEntry; t: number }[], kind: TimelineKind, which: 'earliest' | 'latest') {
  let best: { entry: TimelineEntry; t: number } | null = null;
  for (const x of timed) {
    if (x.entry.kind !== kind) continue;
    if (!best || (which === 'earliest' ? x.t < best.t : x.t > best.t)) best = x;
  }
  return best;
}

export function computeTimelineMetrics(timeline: TimelineEntry[]): TimelineMetrics {
  const warnings: string[] = [];
  const timed: { entry: TimelineEntry; t: number }[] = [];
  for (const entry of timeline) {
    const t = entryTime(entry);
    if (t != null) {
      timed.push({ entry, t });
    } else if (entry.kind !== 'note') {
      // Untimed notes are normal (chat continuation lines); an untimed milestone is a gap to fill in.
      const why = entry.at ? `has a time we cannot read (${entry.at})` : 'has no time';
      warnings.push(`The ${TIMELINE_KIND_LABEL[entry.kind].toLowerCase()} entry ${quote(entry.text)} ${why}, so it is left out of the durations.`);
    }
  }

  const start = pick(timed, 'initial-failure', 'earliest');
  const detect = pick(timed, 'detection', 'earliest');
  const respond = pick(timed, 'response', 'earliest');
  const mitigate = pick(timed, 'remediation', 'earliest');
  const resolve = pick(timed, 'resolution', 'latest');

  /** b − a, or null (with a warning) when either is missing or b comes first. */
  const span = (a: typeof start, b: typeof start, aLabel: string, bLabel: string): number | null => {
    if (!a || !b) return null;
    if (b.t < a.t) {
      warnings.push(`The ${bLabel} (${new Date(b.t).toISOString()}) is before the ${aLabel} (${new Date(a.t).toISOString()}); check both times.`);
      return null;
    }
    return b.t - a.t;
  };

  const timeToDetectMs = span(start, detect, 'initial failure', 'detection');
  const timeToRespondMs = span(detect, respond, 'detection', 'response');
  const timeToMitigateMs = span(start, mitigate, 'initial failure', 'first remediation');
  const timeToResolveMs = span(start, resolve, 'initial failure', 'resolution');
  // Not a metric of its own, but a resolution before anyone noticed is a typo worth pointing at.
  if (detect && resolve && resolve.t < detect.t) {
    warnings.push(`The resolution (${new Date(resolve.t).toISOString()}) is before the detection (${new Date(detect.t).toISOString()}); check both times.`);
  }

  const iso = (x: typeof start) => (x ? new Date(x.t).toISOString() : null);
  return {
    timeToDetectMs,
    timeToRespondMs,
    timeToMitigateMs,
    timeToResolveMs,
    startedAt: iso(start),
    detectedAt: iso(detect),
    respondedAt: iso(respond),
    mitigatedAt: iso(mitigate),
    resolvedAt: iso(resolve),
    warnings,
  };
}

/**
 * A duration for people: the two largest units, rounded to the minute.
 * 8 100 000 → "2 h 15 min", 2 700 000 → "45 min", 274 000 000 → "3 d 4 h", 30 000 → "< 1 min".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms === 0) return '0 min';
  if (ms < 30_000) return '< 1 min';
  const totalMinutes = Math.round(ms / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/**
 * Chronological order; entries without a (readable) time go to the end, in their original relative order.
 * Stable: entries at the same instant keep their order. Returns a new array.
 */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  const indexed = entries.map((entry, index) => ({ entry, index, t: entryTime(entry) }));
  indexed.sort((a, b) => {
    if (a.t == null && b.t == null) return a.index - b.index;
    if (a.t == null) return 1;
    if (b.t == null) return -1;
    return a.t - b.t || a.index - b.index;
  });
  return indexed.map((x) => x.entry);
}
