/**
 * Calendar and IANA time-zone arithmetic on top of Intl.DateTimeFormat, so the domain needs no
 * time-zone dependency. Pure: every function takes the instant and the zone it works on.
 *
 * A "local date" is a `YYYY-MM-DD` string: the calendar day a person in that zone sees.
 */

export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: constructing Intl formatters is slow and they are immutable. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `instant` in `timeZone`. Throws RangeError for an unknown zone. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const out: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  const part = (type: keyof ZonedParts): number => {
    const value = out[type];
    if (value === undefined) throw new Error(`The time-zone formatter gave no ${type} for ${timeZone}`);
    return value;
  };
  // Some engines render midnight as 24 even with hourCycle h23; normalise.
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour') % 24, minute: part('minute'), second: part('second') };
}

/** Offset of `timeZone` from UTC at `instant`, in ms (Berlin in summer: +7 200 000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return asUtc - wholeSeconds;
}

export interface WallTime {
  hour: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

/**
 * Which instant a wall time means when the clocks read it twice (autumn overlap): the earlier or the later
 * occurrence. In a spring gap (a wall time that never happens), 'later' moves it forward by the gap and
 * 'earlier' back by it. Same meaning as Temporal's `disambiguation` option of the same names.
 */
export type Disambiguation = 'earlier' | 'later';

const DAY_MS = 86_400_000;

/**
 * Every instant at which the clocks in `timeZone` read the wall time, earliest first: one on an ordinary
 * day, two in an autumn overlap, none in a spring gap. The offsets in force a day before and a day after
 * are the only ones that can apply (no zone changes its offset twice within two days), so each is tried
 * and kept when the zone really has that offset at the resulting instant.
 */
export function wallTimeInstants(date: string, time: WallTime, timeZone: string): WallTimeInstants {
  const wall = wallAsUtc(date, time);
  const offsets = [...new Set([zoneOffsetMs(new Date(wall - DAY_MS), timeZone), zoneOffsetMs(new Date(wall + DAY_MS), timeZone)])];
  const [first, second] = offsets
    .map((offset) => wall - offset)
    .filter((t) => zoneOffsetMs(new Date(t), timeZone) === wall - t)
    .sort((a, b) => a - b)
    .map((t) => new Date(t));
  if (first === undefined) return [];
  return second === undefined ? [first] : [first, second];
}

/** None (a spring gap), one (an ordinary time) or two (an autumn overlap) instants, earliest first. */
export type WallTimeInstants = [] | [Date] | [Date, Date];

/**
 * The instant at which the clocks in `timeZone` read the given wall time.
 * DST: a wall time skipped by a spring-forward gap maps to the instant one gap later
 * (02:30 on the Berlin spring day → 03:30 CEST; 02:30 in New York → 03:30 EDT); an ambiguous autumn time
 * maps to the later occurrence by default (01:30 on New York's fall-back night → 01:30 EST, 06:30Z), which
 * is standard time in every zone with summer time. Both are what a person typing that time most plausibly
 * meant; `disambiguation: 'earlier'` picks the first occurrence instead (e.g. when a sequence of chat lines
 * shows that the first one is meant).
 */
export function zonedTimeToUtc(date: string, time: WallTime, timeZone: string, disambiguation: Disambiguation = 'later'): Date {
  const found = wallTimeInstants(date, time, timeZone);
  if (found.length === 2) return disambiguation === 'later' ? found[1] : found[0];
  if (found.length === 1) return found[0];
  // A gap: the clocks jumped from offset `before` to `after`. Reading the wall time with the offset in force
  // before the jump lands the gap's length after it (later); with the offset after, that much before it.
  const wall = wallAsUtc(date, time);
  const before = zoneOffsetMs(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(wall + DAY_MS), timeZone);
  const [forward, back] = before < after ? [before, after] : [after, before];
  return new Date(wall - (disambiguation === 'later' ? forward : back));
}

/**
 * The first instant of a local date in `timeZone`: midnight, or the first instant after a gap that skips
 * midnight (Santiago's spring day starts at 01:00), or the first of two midnights in an overlap.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnight = wallTimeInstants(date, { hour: 0 }, timeZone);
  return midnight.length !== 0 ? midnight[0] : zonedTimeToUtc(date, { hour: 0 }, timeZone, 'later');
}

function wallAsUtc(date: string, time: WallTime): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day, time.hour, time.minute ?? 0, time.second ?? 0, time.millisecond ?? 0);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return formatLocalDate(p.year, p.month, p.day);
}

export function formatLocalDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function parseLocalDate(date: string): { year: number; month: number; day: number } {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Calendar-day arithmetic on local dates (no time zone involved: a day is a day). */
export function addDaysToLocalDate(date: string, days: number): string {
  const { year, month, day } = parseLocalDate(date);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return formatLocalDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Calendar days from the local date of `a` to that of `b` in `timeZone` (negative when b's date is earlier). */
export function calendarDaysBetween(a: Date, b: Date, timeZone: string): number {
  const day = (d: string) => {
    const { year, month, day } = parseLocalDate(d);
    return Date.UTC(year, month - 1, day) / 86_400_000;
  };
  return day(localDate(b, timeZone)) - day(localDate(a, timeZone));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}
