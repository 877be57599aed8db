/**
 * Date handling for JQL without a time-zone library: Intl gives us a zone's wall-clock parts for an
 * instant, and we invert that to turn wall-clock values ("2026-11-20 14:30", startOfDay()) into instants.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock time in `timeZone` of an instant, encoded as if it were UTC (so Date.UTC arithmetic works on it). */
export function toWallClock(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, ((ms % 1000) + 1000) % 1000);
}

/** The instant at which the wall clock in `timeZone` shows `wall` (encoded as UTC). Gaps resolve forward. */
export function fromWallClock(wall: number, timeZone: string): number {
  let guess = wall - (toWallClock(wall, timeZone) - wall);
  // A second pass fixes guesses made on the wrong side of a DST change.
  guess = wall - (toWallClock(guess, timeZone) - guess);
  return guess;
}

/** YYYY-MM-DD of an instant in `timeZone`. */
export function dayOf(ms: number, timeZone: string): string {
  return new Date(toWallClock(ms, timeZone)).toISOString().slice(0, 10);
}

/** A parsed JQL date value: an instant, and whether it was written without a time (a whole day). */
export interface DateValue {
  ms: number;
  /** Set for "2026-11-20" / "2026/11/20": the day as written, independent of zone round-trips. */
  day?: string;
}

const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+])?\s*((?:\d+\s*[wdhm]\s*)+)$/i;

/**
 * Jira's accepted date literals: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd',
 * or a period relative to now such as '-5d', '4w 2d', '-1w 2d' (the sign applies to the whole period),
 * with w = 7 days, d = 24 hours, h, m. Returns undefined when the text is none of these.
 */
export function parseDateLiteral(text: string, now: number, timeZone: string): DateValue | undefined {
  const trimmed = text.trim();
  const abs = ABSOLUTE.exec(trimmed);
  if (abs) {
    const [y, mo, d, h, mi] = [abs[1], abs[2], abs[3], abs[4] ?? '0', abs[5] ?? '0'].map(Number);
    const wall = Date.UTC(y, mo - 1, d, h, mi);
    const check = new Date(wall);
    // Reject 2026-02-30 and 25:00 rather than letting Date roll them over.
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23) return undefined;
    const ms = fromWallClock(wall, timeZone);
    return abs[4] === undefined ? { ms, day: check.toISOString().slice(0, 10) } : { ms };
  }
  const period = PERIOD.exec(trimmed);
  if (period) {
    let total = 0;
    for (const m of period[2].matchAll(/(\d+)\s*([wdhm])/gi)) {
      const unit = m[2].toLowerCase();
      total += Number(m[1]) * (unit === 'w' ? WEEK : unit === 'd' ? DAY : unit === 'h' ? HOUR : MINUTE);
    }
    return { ms: now + (period[1] === '-' ? -total : total) };
  }
  return undefined;
}

export const DATE_FUNCTIONS = [
  'now',
  'startofday',
  'endofday',
  'startofweek',
  'endofweek',
  'startofmonth',
  'endofmonth',
  'startofyear',
  'endofyear',
] as const;

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'm';

/** Adds `n` units to a wall-clock value (calendar arithmetic for months and years). */
function addWall(wall: number, n: number, unit: Unit): number {
  const d = new Date(wall);
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      break;
    case 'M':
      d.setUTCMonth(d.getUTCMonth() + n);
      break;
    case 'w':
      d.setUTCDate(d.getUTCDate() + 7 * n);
      break;
    case 'd':
      d.setUTCDate(d.getUTCDate() + n);
      break;
    case 'h':
      return wall + n * HOUR;
    case 'm':
      return wall + n * MINUTE;
  }
  return d.getTime();
}

/**
 * now(), startOfDay(), endOfWeek("-1") ... evaluated against `now` in `timeZone`.
 * The optional argument is an increment like -1, "+2", "-1w" (unit defaults to the function's period:
 * startOfDay(-1) = start of yesterday, startOfMonth(1) = start of next month). Weeks start on Sunday
 * (Jira's en_US behaviour). end* functions return the last millisecond of the period.
 * Returns undefined when the argument is malformed.
 */
export function evalDateFunction(name: string, args: string[], now: number, timeZone: string): number | undefined {
  const fn = name.toLowerCase();
  if (fn === 'now') return args.length === 0 ? now : undefined;
  if (args.length > 1) return undefined;
  const period = fn.replace(/^(start|end)of/, '') as 'day' | 'week' | 'month' | 'year';
  const defaultUnit: Unit = period === 'day' ? 'd' : period === 'week' ? 'w' : period === 'month' ? 'M' : 'y';
  let n = 0;
  let unit: Unit = defaultUnit;
  if (args.length === 1) {
    const m = /^([-+]?\d+)([yMwdhm])?$/.exec(args[0].trim());
    if (!m) return undefined;
    n = Number(m[1]);
    unit = (m[2] as Unit | undefined) ?? defaultUnit;
  }
  const wallNow = new Date(toWallClock(now, timeZone));
  const y = wallNow.getUTCFullYear();
  const mo = wallNow.getUTCMonth();
  const d = wallNow.getUTCDate();
  let start: number;
  switch (period) {
    case 'day':
      start = Date.UTC(y, mo, d);
      break;
    case 'week':
      start = Date.UTC(y, mo, d - wallNow.getUTCDay());
      break;
    case 'month':
      start = Date.UTC(y, mo, 1);
      break;
    case 'year':
      start = Date.UTC(y, 0, 1);
      break;
  }
  start = addWall(start, n, unit);
  if (fn.startsWith('start')) return fromWallClock(start, timeZone);
  // The end of the period that (shifted) start lies in: next period start, minus 1 ms.
  const nextStart = addWall(start, 1, defaultUnit);
  return fromWallClock(nextStart, timeZone) - 1;
}
