/**
 * Business-day arithmetic in the site's time zone: when the review meeting should be (the essay:
 * "ideally the next business day"), and how many business days an incident has waited for its postmortem.
 *
 * Days are the calendar days a person in `timeZone` sees; Saturday and Sunday and the listed holidays
 * are not business days. All inputs and outputs are instants (Date); only the counting is local.
 */
import { addDaysToLocalDate, dayOfWeek, localDate, startOfLocalDay, zonedParts, zonedTimeToUtc } from './time-zone';

export interface BusinessDayOptions {
  /** IANA zone, e.g. Europe/Berlin. */
  timeZone: string;
  /** Non-working days, YYYY-MM-DD, in that zone. */
  holidays: string[];
}

/** Safety net: no real calendar has a year without a business day, so a longer search means bad input. */
const MAX_SEARCH_DAYS = 366 * 2;

function isBusinessLocalDate(date: string, holidays: ReadonlySet<string>): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !holidays.has(date);
}

/** The n-th business date after (n > 0) or before (n < 0) `date`, counting only business dates. */
function stepBusinessDates(date: string, n: number, holidays: ReadonlySet<string>): string {
  const direction = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let current = date;
  let searched = 0;
  while (remaining > 0) {
    current = addDaysToLocalDate(current, direction);
    if (isBusinessLocalDate(current, holidays)) remaining--;
    if (++searched > MAX_SEARCH_DAYS + Math.abs(n) * 7) throw new RangeError('No business day found: check the holiday list.');
  }
  return current;
}

export function isBusinessDay(date: Date, opts: BusinessDayOptions): boolean {
  return isBusinessLocalDate(localDate(date, opts.timeZone), new Set(opts.holidays));
}

/**
 * `from` moved by `n` business days, keeping its local wall-clock time (so 15:00 Friday + 1 → 15:00 Monday,
 * even across a DST change; a wall time the clocks skip that day moves one gap later).
 * n = 0 returns `from` unchanged. Otherwise the answer is a business day, and for every n:
 *   businessDaysBetween(from, addBusinessDays(from, n)) = n.
 * Forward, that is the n-th business date after `from`'s date (Saturday + 1 → Monday). Backward it is the
 * business date with |n| business dates after it up to `from`'s date: from a business day that is the
 * |n|-th one before it (Monday − 1 → Friday), but from a Saturday it is Thursday (− 1), because Friday
 * itself is the one business date that has passed by Saturday. From a business day, going n and then −n
 * returns to the same date.
 */
export function addBusinessDays(from: Date, n: number, opts: BusinessDayOptions): Date {
  if (!Number.isInteger(n)) throw new RangeError(`addBusinessDays needs a whole number of days, got ${n}`);
  if (n === 0) return new Date(from.getTime());
  const holidays = new Set(opts.holidays);
  let start = localDate(from, opts.timeZone);
  // Backward from a non-business date, count from the last business date before it (which has passed).
  if (n < 0 && !isBusinessLocalDate(start, holidays)) start = stepBusinessDates(start, -1, holidays);
  const target = stepBusinessDates(start, n, holidays);
  const t = zonedParts(from, opts.timeZone);
  return zonedTimeToUtc(target, { hour: t.hour, minute: t.minute, second: t.second, millisecond: ((from.getTime() % 1000) + 1000) % 1000 }, opts.timeZone);
}

/**
 * Whole business days elapsed from `a` to `b`: the number of business dates d with
 * localDate(a) < d ≤ localDate(b). Friday → Monday is 1, Monday 09:00 → Monday 17:00 is 0.
 * Negative when b is before a: businessDaysBetween(b, a) = −businessDaysBetween(a, b).
 * Inverse of addBusinessDays: businessDaysBetween(a, addBusinessDays(a, n)) = n for every n.
 */
export function businessDaysBetween(a: Date, b: Date, opts: BusinessDayOptions): number {
  if (b.getTime() < a.getTime()) return 0 - businessDaysBetween(b, a, opts) || 0; // never −0
  const holidays = new Set(opts.holidays);
  const end = localDate(b, opts.timeZone);
  let current = localDate(a, opts.timeZone);
  let count = 0;
  while (current < end) {
    current = addDaysToLocalDate(current, 1);
    if (isBusinessLocalDate(current, holidays)) count++;
  }
  return count;
}

/**
 * The cut-off for "at least n business days ago" (n ≥ 1): the instant c such that, for every instant t,
 *   businessDaysBetween(t, now) ≥ n  ⇔  t < c.
 * It is the start (in the zone) of the n-th most recent business date up to today, today included when it
 * is one. Use it wherever a query must find what `businessDaysBetween(x, now) >= n` would decide: the
 * postmortem reminder ("resolved at least N business days ago") and the stale cut-off.
 */
export function businessDaysCutoff(now: Date, n: number, opts: BusinessDayOptions): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`businessDaysCutoff needs a whole number of days ≥ 1, got ${n}`);
  const holidays = new Set(opts.holidays);
  const today = localDate(now, opts.timeZone);
  const mostRecent = isBusinessLocalDate(today, holidays) ? today : stepBusinessDates(today, -1, holidays);
  return startOfLocalDay(n === 1 ? mostRecent : stepBusinessDates(mostRecent, -(n - 1), holidays), opts.timeZone);
}

/**
 * The review meeting default: the first business day after `from`'s local date, at `hour`:`minute`
 * local time, as an instant. A Friday incident gets a Monday meeting; one on Saturday also Monday.
 */
export function nextBusinessDayAt(from: Date, opts: BusinessDayOptions & { hour: number; minute?: number }): Date {
  if (!Number.isInteger(opts.hour) || opts.hour < 0 || opts.hour > 23) throw new RangeError(`hour must be 0–23, got ${opts.hour}`);
  const minute = opts.minute ?? 0;
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute must be 0–59, got ${minute}`);
  const date = stepBusinessDates(localDate(from, opts.timeZone), 1, new Set(opts.holidays));
  return zonedTimeToUtc(date, { hour: opts.hour, minute }, opts.timeZone);
}
