/**
 * The figures behind the Insights tab: durations by severity and month (median and p90), action-item
 * completion, time to close and overdue share, reviews held on time, and repeat failure categories.
 * Pure: the resolver gathers what the viewer may see and hands it in.
 *
 * Definitions (so that a person can check a figure by hand):
 * - median: the middle value, or the mean of the two middle values for an even count;
 * - p90: nearest rank, the value at position ⌈0.9·n⌉ in ascending order (n = 1 → that value);
 * - a review is on time when its meeting is at most N business days after the incident's resolution (its
 *   start when the timeline has no resolution), late when later or when N business days passed without one;
 * - repeats: postmortems with the same tag whose incidents are at most 90 days apart, chained.
 */
import type { ActionItemInsights, DurationInsights, DurationStats, RepeatGroup, ReviewInsights } from '../contract/postmortem-index';
import { SEVERITIES, type Severity } from '../contract/postmortem';
import { businessDaysBetween, type BusinessDayOptions } from './business-days';
import { localDate } from './time-zone';

export const REPEAT_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

export function median(values: readonly number[]): number | null {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const upper = s[mid];
  if (upper === undefined) return null; // no values
  const lower = s[mid - 1];
  return s.length % 2 || lower === undefined ? upper : (lower + upper) / 2;
}

/** Nearest-rank percentile, p in (0, 1]. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile needs 0 < p ≤ 1, got ${p}`);
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil(p * s.length) - 1] ?? null; // in range for 0 < p ≤ 1
}

export function durationStats(values: readonly number[]): DurationStats {
  return { count: values.length, medianMinutes: median(values), p90Minutes: percentile(values, 0.9) };
}

/** YYYY-MM of an instant in a time zone. */
export const monthOf = (iso: string, timeZone: string) => localDate(new Date(iso), timeZone).slice(0, 7);

/** Every month from `from` to `to` (YYYY-MM-DD or YYYY-MM), inclusive. At most 120. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = to.slice(0, 7);
  while (out.length < 120) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    out.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

export interface TimedIncident {
  severity: Severity;
  incidentAt: string;
  minutes: number | null;
}

export function durationInsights(incidents: readonly TimedIncident[], months: readonly string[], timeZone: string): DurationInsights {
  const known = incidents.filter((i): i is TimedIncident & { minutes: number } => i.minutes != null);
  return {
    overall: durationStats(known.map((i) => i.minutes)),
    bySeverity: SEVERITIES.map((severity) => ({ severity, stats: durationStats(known.filter((i) => i.severity === severity).map((i) => i.minutes)) })),
    byMonth: months.map((month) => ({ month, stats: durationStats(known.filter((i) => monthOf(i.incidentAt, timeZone) === month).map((i) => i.minutes)) })),
  };
}

export interface ItemIssue {
  /** Status category `done`. */
  done: boolean;
  created: string;
  resolved: string | null;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
}

/** `today` is the local date (app time zone): an open item due before it is overdue. */
export function actionItemInsights(issues: readonly ItemIssue[], counts: { dropped: number; hidden: number }, today: string): ActionItemInsights {
  const done = issues.filter((i) => i.done);
  const open = issues.filter((i) => !i.done);
  const overdue = open.filter((i) => i.dueDate != null && i.dueDate < today);
  const closeDays = done
    .filter((i) => i.resolved)
    .map((i) => Math.max(0, Date.parse(i.resolved!) - Date.parse(i.created)) / DAY_MS);
  const round1 = (n: number | null) => (n == null ? null : Math.round(n * 10) / 10);
  return {
    created: issues.length,
    done: done.length,
    open: open.length,
    overdue: overdue.length,
    dropped: counts.dropped,
    hidden: counts.hidden,
    completionRate: issues.length ? done.length / issues.length : null,
    overdueShare: open.length ? overdue.length / open.length : null,
    timeToClose: { count: closeDays.length, medianDays: round1(median(closeDays)), p90Days: round1(percentile(closeDays, 0.9)) },
  };
}

export interface ReviewedIncident {
  /** When the postmortem became due from: the incident's resolution, else its start. */
  dueFrom: string;
  reviewMeetingAt: string | null;
}

export type ReviewState = 'on-time' | 'late' | 'pending';

export function reviewState(x: ReviewedIncident, dueBusinessDays: number, opts: BusinessDayOptions, now: Date): ReviewState {
  const from = new Date(x.dueFrom);
  const held = x.reviewMeetingAt && Date.parse(x.reviewMeetingAt) <= now.getTime() ? new Date(x.reviewMeetingAt) : null;
  if (held) return businessDaysBetween(from, held, opts) <= dueBusinessDays ? 'on-time' : 'late';
  return businessDaysBetween(from, now, opts) > dueBusinessDays ? 'late' : 'pending';
}

export function reviewInsights(incidents: readonly ReviewedIncident[], dueBusinessDays: number, opts: BusinessDayOptions, now: Date): ReviewInsights {
  const out: ReviewInsights = { dueBusinessDays, onTime: 0, late: 0, pending: 0, shareOnTime: null };
  for (const x of incidents) {
    const state = reviewState(x, dueBusinessDays, opts, now);
    if (state === 'on-time') out.onTime++;
    else if (state === 'late') out.late++;
    else out.pending++;
  }
  out.shareOnTime = out.onTime + out.late ? out.onTime / (out.onTime + out.late) : null;
  return out;
}

export interface TaggedPostmortem {
  key: string;
  title: string;
  url: string;
  incidentAt: string;
  tags: string[];
}

/**
 * Per tag (case-insensitive), runs of postmortems whose incidents are each at most `windowDays` after the
 * previous one; runs of two or more are repeats. Most postmortems first, then the most recent.
 */
export function repeatGroups(postmortems: readonly TaggedPostmortem[], windowDays = REPEAT_WINDOW_DAYS): RepeatGroup[] {
  const byTag = new Map<string, { label: string; items: TaggedPostmortem[] }>();
  for (const pm of postmortems) {
    for (const tag of new Set(pm.tags.map((t) => t.trim()).filter(Boolean))) {
      const k = tag.toLowerCase();
      const group = byTag.get(k) ?? { label: tag, items: [] };
      if (!group.items.includes(pm)) group.items.push(pm);
      byTag.set(k, group);
    }
  }
  const out: RepeatGroup[] = [];
  for (const { label, items } of byTag.values()) {
    const sorted = [...items].sort((a, b) => a.incidentAt.localeCompare(b.incidentAt) || a.key.localeCompare(b.key));
    let run: TaggedPostmortem[] = [];
    const flush = () => {
      const first = run[0];
      const latest = run[run.length - 1];
      if (run.length >= 2 && first && latest) {
        out.push({
          tag: label,
          postmortems: run.map(({ key, title, url, incidentAt }) => ({ key, title, url, incidentAt })),
          spanDays: Math.round((Date.parse(latest.incidentAt) - Date.parse(first.incidentAt)) / DAY_MS),
        });
      }
    };
    for (const pm of sorted) {
      const prev = run[run.length - 1];
      if (prev && Date.parse(pm.incidentAt) - Date.parse(prev.incidentAt) > windowDays * DAY_MS) {
        flush();
        run = [];
      }
      run.push(pm);
    }
    flush();
  }
  const last = (g: RepeatGroup) => g.postmortems[g.postmortems.length - 1]?.incidentAt ?? '';
  return out.sort((a, b) => b.postmortems.length - a.postmortems.length || last(b).localeCompare(last(a)) || a.tag.localeCompare(b.tag));
}
