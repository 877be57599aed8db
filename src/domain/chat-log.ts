/**
 * Turns a pasted incident chat (Slack, Teams, IRC-ish, plain logs) into timeline entries, so the incident
 * owner can build the timeline from what was actually said and when (the essay: "pulling in chats (with
 * timestamps) … is a good idea").
 *
 * Nothing is dropped: every non-empty line becomes an entry. A line whose time we cannot read becomes an
 * untimed note with the whole line as its text, so the owner can fix it by hand.
 */
import type { TimelineEntry, TimelineKind } from '../contract/postmortem';
import { addDaysToLocalDate, formatLocalDate, isCalendarDate, localDate, zonedTimeToUtc } from './time-zone';

export interface ChatLogOptions {
  /** The incident day, YYYY-MM-DD, for lines that carry only a time. */
  date: string;
  /** IANA zone the chat's times are in (unless a line states its own offset). */
  timeZone: string;
  /** Entry ids are `${idPrefix}-${n}`; default "chat". */
  idPrefix?: string;
}

export interface ChatLogResult {
  entries: TimelineEntry[];
  /** Non-empty lines we could not read a time for (they are kept as untimed notes). */
  unparsed: number;
}

// ---------------------------------------------------------------------------------------------------------
// Kind inference

/**
 * Keyword rules, in priority order: a line that says both "alert" and "resolved" is about the
 * resolution (an alert auto-resolving), one that says "paged" and "acknowledged" is the response.
 */
const KIND_RULES: { kind: TimelineKind; pattern: RegExp }[] = [
  { kind: 'resolution', pattern: /\b(resolved|recovered|back to normal|all[- ]clear|fully restored)\b/gi },
  {
    kind: 'remediation',
    pattern: /\b(roll(?:ed|ing)?[- ]?back|rollback|restart(?:ed|ing)|fail(?:ed)?[- ]?over|mitigat\w*|scal(?:ed|ing)\b(?: (?:up|out))?|deploy(?:ed|ing) (?:a |the )?fix|hotfix\w*|revert(?:ed|ing)?)/gi,
  },
  { kind: 'response', pattern: /\b(ack(?:ed|ing|s)?|acknowledg\w*|investigat\w*|joined|on it|looking)\b/gi },
  { kind: 'detection', pattern: /\b(alert(?:s|ed|ing)?|paged|paging|noticed|detected|pager ?duty|firing|fired|alarms?)\b/gi },
  { kind: 'initial-failure', pattern: /\b(started (?:failing|erroring)|began|first errors?|outage started|errors started)\b/gi },
];

/** "not resolved", "still hasn't recovered", "no rollback yet": the keyword is denied, not reported. */
const NEGATION_BEFORE = /\b(?:not|no|never|cannot|\w+n['’]t)\s+(?:\w+\s+)?$/i;

/** The timeline kind a chat line most likely describes; 'note' when no keyword (or only negated ones) matches. */
export function inferKind(text: string): TimelineKind {
  for (const { kind, pattern } of KIND_RULES) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      if (!NEGATION_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return kind;
    }
  }
  return 'note';
}

// ---------------------------------------------------------------------------------------------------------
// Reading times

interface ClockTime {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

interface Stamp {
  time: ClockTime;
  /** A date written on the line itself, YYYY-MM-DD. */
  date?: string;
  /** Offset from UTC stated on the line (Z, +01:00, UTC), in minutes. */
  offsetMinutes?: number;
}

const DATE_SRC = String.raw`(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}))`;
// The lookaheads stop "10:42 Amy" reading as AM and "10:42 Zoe" as Zulu time.
const TIME_SRC = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?`;
const ZONE_SRC = String.raw`(?:\s?(Z|[+-]\d{2}:?\d{2}|UTC|GMT)(?![A-Za-z0-9]))?`;

/** A time (optionally dated, optionally bracketed) at the start of a line; group 13 is the rest. */
const LEADING_STAMP = new RegExp(String.raw`^\[?\s*(?:${DATE_SRC}(?:T|,?\s+))?${TIME_SRC}${ZONE_SRC}\s*\]?(?:\s+|$)(.*)$`);
/** A name followed only by a time: Slack's and Teams' copy-paste message header. */
const TRAILING_STAMP = new RegExp(String.raw`^(.+?)\s+\[?${TIME_SRC}\]?$`);

function toClock(h: string, m: string, s: string | undefined, frac: string | undefined, ampm: string | undefined): ClockTime | null {
  let hour = Number(h);
  const minute = Number(m);
  const second = s ? Number(s) : 0;
  if (minute > 59 || second > 59) return null;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    const pm = ampm.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  const millisecond = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  return { hour, minute, second, millisecond };
}

function toDate(g: (string | undefined)[]): string | null | undefined {
  const [isoY, isoM, isoD, a, b, y] = g;
  if (isoY) {
    const date = `${isoY}-${isoM}-${isoD}`;
    return isCalendarDate(date) ? date : null;
  }
  if (!a || !b || !y) return undefined;
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  // Teams writes month/day in US locales; a first number above 12 can only be a day (day/month locales).
  const [month, day] = Number(a) > 12 ? [Number(b), Number(a)] : [Number(a), Number(b)];
  const date = formatLocalDate(year, month, day);
  return isCalendarDate(date) ? date : null;
}

function toOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return undefined;
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function readLeading(line: string): { stamp: Stamp; rest: string } | null {
  const m = LEADING_STAMP.exec(line);
  if (!m) return null;
  const date = toDate(m.slice(1, 7));
  if (date === null) return null; // a date that does not exist: do not guess
  const time = toClock(m[7], m[8], m[9], m[10], m[11]);
  if (!time) return null;
  return { stamp: { time, date, offsetMinutes: toOffsetMinutes(m[12]) }, rest: m[13] ?? '' };
}

/** Words that end a sentence before a time ("rolled back at 10:42") rather than name a person. */
const NOT_A_HEADER_NAME = new Set(['at', 'since', 'by', 'until', 'till', 'around', 'about', 'from', 'to', 'before', 'after', 'approx', 'ca', 'eta']);

/**
 * Whether the text before a trailing time is a sender's name ("Alice Smith", "alice.smith", "PagerDuty APP")
 * and not the end of a sentence ("we restarted at 10:42").
 */
function isHeaderName(name: string): boolean {
  if (name.length > 60 || /[:;,!?()"]/.test(name)) return false;
  const words = name.split(/\s+/);
  if (words.length === 1) return /^@?[\p{L}\p{N}._'’-]+$/u.test(name) && !NOT_A_HEADER_NAME.has(name.toLowerCase()) && /\p{L}/u.test(name);
  if (words.length > 5) return false;
  // Multi-word: capitalised words, allowing lowercase particles inside ("Ana de Souza").
  const capitalised = (w: string) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w);
  return capitalised(words[0]) && capitalised(words[words.length - 1]) && words.every((w) => capitalised(w) || /^(?:de|da|van|von|der|del|la|le|di|du|bin|al)$/.test(w));
}

function readHeader(line: string): { name: string; time: ClockTime } | null {
  const m = TRAILING_STAMP.exec(line);
  if (!m || !isHeaderName(m[1])) return null;
  const time = toClock(m[2], m[3], m[4], m[5], m[6]);
  return time ? { name: m[1], time } : null;
}

/** "alice: text", "<alice> text", or (for "10:42 - alice - text") "alice - text". */
function splitAuthor(rest: string, dashStyle: boolean): { author?: string; text: string } {
  const irc = /^<([^<>\s]{1,40})>\s*(.*)$/.exec(rest);
  if (irc) return { author: irc[1], text: irc[2] };
  if (dashStyle) {
    const dash = /^(\S+(?:\s\S+){0,3}?)\s+[-–—|]\s+(.*)$/.exec(rest);
    if (dash) return { author: dash[1], text: dash[2] };
  }
  // At most four words before the colon: "Alice Smith: …" is an author, "restarted the db and then: …" is not.
  const colon = /^([^:\s][^:]{0,59}?):(?:\s+(.*))?$/.exec(rest);
  if (colon && colon[1].trim().split(/\s+/).length <= 4 && !/[,;!?()[\]]/.test(colon[1])) return { author: colon[1].trim(), text: colon[2] ?? '' };
  return { text: rest };
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

const TWELVE_HOURS = 12 * 3600_000;

export function parseChatLog(text: string, opts: ChatLogOptions): ChatLogResult {
  if (!isCalendarDate(opts.date)) throw new RangeError(`date must be YYYY-MM-DD, got ${opts.date}`);
  const prefix = opts.idPrefix ?? 'chat';
  const entries: TimelineEntry[] = [];
  let unparsed = 0;

  // The day that time-only lines belong to; moves forward when the chat crosses midnight.
  let currentDate = opts.date;
  let previous: number | null = null;
  /** An open Slack/Teams header: the lines under it are its messages. */
  let header: { author: string; at: string; raw: string; used: boolean } | null = null;

  const push = (entry: Omit<TimelineEntry, 'id'>) => entries.push({ id: `${prefix}-${entries.length + 1}`, ...entry });

  /** A header with no message lines under it still becomes an entry: nothing is dropped. */
  const closeHeader = () => {
    if (header && !header.used) push({ at: header.at, kind: 'note', text: header.raw, author: header.author });
    header = null;
  };

  /** The instant of a stamp, rolling time-only lines over midnight. */
  const instantOf = (stamp: Stamp): number => {
    const timeOnly = stamp.date === undefined;
    const resolve = (date: string) =>
      stamp.offsetMinutes !== undefined
        ? Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), stamp.time.hour, stamp.time.minute, stamp.time.second, stamp.time.millisecond) -
          stamp.offsetMinutes * 60_000
        : zonedTimeToUtc(date, stamp.time, opts.timeZone).getTime();
    let t = resolve(stamp.date ?? currentDate);
    if (timeOnly && previous != null && t < previous - TWELVE_HOURS) {
      currentDate = addDaysToLocalDate(currentDate, 1);
      t = resolve(currentDate);
    }
    // A dated line sets the day for the time-only lines after it.
    if (!timeOnly) currentDate = localDate(new Date(t), opts.timeZone);
    previous = t;
    return t;
  };

  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (!line) continue;

    const leading = readLeading(line);
    if (leading) {
      const at = new Date(instantOf(leading.stamp)).toISOString();
      const rest = leading.rest.trim();
      if (!rest) {
        // A bare time: Slack's marker for another message by the same sender.
        const author: string | undefined = (header as { author: string } | null)?.author;
        closeHeader();
        if (author) {
          header = { author, at, raw: line, used: false };
        } else {
          push({ at, kind: 'note', text: line });
        }
        continue;
      }
      closeHeader();
      const dashStyle = /^[-–—|]\s/.test(rest);
      const { author, text: message } = splitAuthor(dashStyle ? rest.replace(/^[-–—|]\s+/, '') : rest, dashStyle);
      const body = message.trim() || line;
      push({ at, kind: inferKind(body), text: body, ...(author ? { author } : {}) });
      continue;
    }

    const head = readHeader(line);
    if (head) {
      closeHeader();
      header = { author: head.name, at: new Date(instantOf({ time: head.time })).toISOString(), raw: line, used: false };
      continue;
    }

    if (header) {
      header.used = true;
      push({ at: header.at, kind: inferKind(line), text: line, author: header.author });
      continue;
    }

    // No time we can read: keep the line as an untimed note.
    unparsed++;
    push({ at: null, kind: 'note', text: line });
  }
  closeHeader();
  return { entries, unparsed };
}
