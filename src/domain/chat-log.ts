/**
 * Turns a pasted incident chat (Slack, Teams, irssi/weechat, plain logs) into timeline entries, so the
 * incident owner can build the timeline from what was actually said and when (the essay: "pulling in chats
 * (with timestamps) … is a good idea").
 *
 * Every non-empty line lands somewhere, and `lines` says how each was read (for the paste preview):
 * - a message: its own time (and author, when the line names one);
 * - a header ("Alice Smith  10:42 AM", Teams' "[10:42 AM] Alice Smith"): its time and author go to the
 *   message lines under it (a header with nothing under it becomes an entry itself);
 * - a continuation: a line without a time after a timed message keeps that message's time and author
 *   (multi-line messages);
 * - an untimed note: a line without a time before any timed line, whole, for the owner to fix by hand.
 */
import type { TimelineEntry, TimelineKind } from '../contract/postmortem';
import { requiredGroup } from './match-group';
import { addDaysToLocalDate, formatLocalDate, isCalendarDate, localDate, wallTimeInstants, zonedTimeToUtc } from './time-zone';

/** How a numeric date such as 10/05/2026 is read: 5 October (US, month first) or 10 May (day first). */
export type DateOrder = 'month-first' | 'day-first';

export interface ChatLogOptions {
  /** The incident day, YYYY-MM-DD, for lines that carry only a time; also decides the date order. */
  date: string;
  /** IANA zone the chat's times are in (unless a line states its own offset or zone abbreviation). */
  timeZone: string;
  /** Entry ids are `${idPrefix}-${n}`; default "chat". */
  idPrefix?: string;
  /** The person's answer when the paste alone cannot say how to read its numeric dates. */
  dateOrder?: DateOrder;
}

export type LineReading = 'message' | 'header' | 'continuation' | 'untimed';

/** How one pasted line was read (the preview shows these before anything is added). */
export interface ChatLineRead {
  /** 1-based line number in the paste. */
  line: number;
  /** The line as pasted (trimmed). */
  text: string;
  reading: LineReading;
  /** The entry this line became; none for a header whose time and author went to the lines under it. */
  entryId?: string;
  at: string | null;
  author?: string;
  /** How the time was read, when there was something to decide ("EST = UTC−05:00", "day/month", …). */
  notes: string[];
}

export interface DateOrderDecision {
  used: DateOrder;
  /** What decided it: a date that fits only one order, closeness to the incident date, the person, or each line alone. */
  decidedBy: 'the paste' | 'the incident date' | 'your choice' | 'each line';
  /** Nothing decided it: `used` is a guess and the person should be asked. */
  ambiguous: boolean;
}

export interface ChatLogResult {
  entries: TimelineEntry[];
  /** Non-empty lines we could not read a time for (they are kept as untimed notes). */
  unparsed: number;
  lines: ChatLineRead[];
  /** How numeric dates (10/05/2026) were read; null when the paste has none that could go either way. */
  dateOrder: DateOrderDecision | null;
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

/** A numeric date as written (a/b/year), resolved once the paste's date order is known. */
interface NumericDate {
  a: number;
  b: number;
  year: number;
}

interface Stamp {
  time: ClockTime;
  /** A date written on the line itself, YYYY-MM-DD … */
  isoDate?: string;
  /** … or as a/b/y, whose order the whole paste decides. */
  numericDate?: NumericDate;
  /** Offset from UTC stated on the line (Z, +01:00, UTC, EST), in minutes. */
  offsetMinutes?: number;
  /** The zone as written, for the preview. */
  zone?: string;
}

/**
 * Zone abbreviations seen in chat exports, with their offsets in minutes. IST (India, Ireland, Israel) is
 * left out as hopelessly ambiguous; CST and AST are read the North American way, as chat tools write them.
 */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, UT: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  NST: -210, NDT: -150, AST: -240, ADT: -180,
  JST: 540, KST: 540, HKT: 480, SGT: 480, AWST: 480, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};
const ABBREVIATION_SRC = Object.keys(ZONE_ABBREVIATIONS).sort((x, y) => y.length - x.length).join('|');

const DATE_SRC = String.raw`(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}))`;
// The lookaheads stop "10:42 Amy" reading as AM and "10:42 Zoe" as Zulu time.
const TIME_SRC = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?`;
const ZONE_SRC = String.raw`(?:\s?(Z|[+-]\d{2}:?\d{2}|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|${ABBREVIATION_SRC})(?![A-Za-z0-9]))?`;

/** A time (optionally dated, optionally bracketed) at the start of a line; group 13 is the rest. */
const LEADING_STAMP = new RegExp(String.raw`^\[?\s*(?:${DATE_SRC}(?:T|,?\s+))?${TIME_SRC}${ZONE_SRC}\s*\]?(?:\s+|$)([\s\S]*)$`);
/** A name followed only by a time: Slack's and Teams' copy-paste message header. */
const TRAILING_STAMP = new RegExp(String.raw`^(.+?)(\s+)\[?${TIME_SRC}\]?$`);

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

function numericToIso(d: NumericDate, order: DateOrder): string | null {
  const [month, day] = order === 'month-first' ? [d.a, d.b] : [d.b, d.a];
  const date = formatLocalDate(d.year, month, day);
  return isCalendarDate(date) ? date : null;
}

/** The orders in which a numeric date is a real calendar date. */
function possibleOrders(d: NumericDate): DateOrder[] {
  return (['month-first', 'day-first'] as const).filter((o) => numericToIso(d, o) !== null);
}

function toOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return undefined;
  if (zone === 'Z') return 0;
  if (zone in ZONE_ABBREVIATIONS) return ZONE_ABBREVIATIONS[zone];
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function readLeading(line: string): { stamp: Stamp; rest: string; bracketed: boolean } | null {
  const m = LEADING_STAMP.exec(line);
  if (!m) return null;
  let isoDate: string | undefined;
  let numericDate: NumericDate | undefined;
  if (m[1]) {
    isoDate = `${m[1]}-${m[2]}-${m[3]}`;
    if (!isCalendarDate(isoDate)) return null; // a date that does not exist: do not guess
  } else if (m[4]) {
    const year = requiredGroup(m, 6); // the numeric date's groups 4–6 come together
    numericDate = { a: Number(m[4]), b: Number(m[5]), year: year.length === 2 ? 2000 + Number(year) : Number(year) };
    if (!possibleOrders(numericDate).length) return null;
  }
  const time = toClock(requiredGroup(m, 7), requiredGroup(m, 8), m[9], m[10], m[11]);
  if (!time) return null;
  const offsetMinutes = toOffsetMinutes(m[12]);
  if (m[12] && offsetMinutes === undefined) return null;
  return { stamp: { time, isoDate, numericDate, offsetMinutes, zone: m[12] }, rest: m[13] ?? '', bracketed: line.startsWith('[') };
}

/** Words that end a sentence before a time ("rolled back at 10:42") rather than name a person. */
const NOT_A_HEADER_NAME = new Set(['at', 'since', 'by', 'until', 'till', 'around', 'about', 'from', 'to', 'before', 'after', 'approx', 'ca', 'eta', 'is', 'was', 'done', 'and', 'the']);
/** Pronouns people add to their display name: "Jane Doe (she/her)", "Sam (they/them)". */
const PRONOUNS = /\s*\(\s*\p{L}+(?:\s*\/\s*\p{L}+)+\s*\)$/u;

/**
 * Whether text is a sender's name ("Alice Smith", "alice.smith", "PagerDuty APP", "Jane Doe (she/her)")
 * and not the end of a sentence ("we restarted at 10:42"). `looseCase` also takes lower-case multi-word
 * names ("jane doe"), for places where the layout already says it is a header.
 */
function isHeaderName(raw: string, looseCase = false): boolean {
  const name = raw.replace(PRONOUNS, '');
  if (!name || name.length > 60 || /[:;,!?()"\t]/.test(name)) return false;
  const words = name.split(/\s+/);
  if (words.length === 1) return /^@?[\p{L}\p{N}._'’-]+$/u.test(name) && !NOT_A_HEADER_NAME.has(name.toLowerCase()) && /\p{L}/u.test(name);
  if (words.length > 5) return false;
  // Multi-word: capitalised words, allowing lowercase particles inside ("Ana de Souza").
  const capitalised = (w: string) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w);
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  if (capitalised(first) && capitalised(last) && words.every((w) => capitalised(w) || /^(?:de|da|van|von|der|del|la|le|di|du|bin|al)$/.test(w))) return true;
  return looseCase && words.length <= 3 && words.every((w) => /^[\p{L}'’.-]+$/u.test(w) && !NOT_A_HEADER_NAME.has(w.toLowerCase()));
}

function readHeader(line: string): { name: string; time: ClockTime } | null {
  const m = TRAILING_STAMP.exec(line);
  // Slack puts two spaces between the name and the time: that layout vouches for a lower-case name.
  if (!m) return null;
  const name = requiredGroup(m, 1);
  if (!isHeaderName(name, requiredGroup(m, 2).length >= 2)) return null;
  const time = toClock(requiredGroup(m, 3), requiredGroup(m, 4), m[5], m[6], m[7]);
  return time ? { name, time } : null;
}

/** irssi/weechat nick mode prefixes: op, voice, half-op, owner, admin. */
const NICK_MODE = /^[@+%~&!]/;
/** weechat's prefix column for lines nobody said (joins, quits, network messages). */
const WEECHAT_SYSTEM = new Set(['--', '-->', '<--', '=!=', '-!-', '*', '']);

/** "alice: text", "<alice> text", "<@alice> text", "alice\ttext" (weechat) or, for "10:42 - alice - text", "alice - text". */
function splitAuthor(rest: string, dashStyle: boolean): { author?: string; text: string } {
  const tab = /^([^\t]*)\t+([\s\S]*)$/.exec(rest);
  if (tab) {
    const nick = requiredGroup(tab, 1).trim();
    const said = requiredGroup(tab, 2).trim();
    if (nick === '*') {
      // An action: "*\tbob restarted the workers".
      const actor = /^[@+%~&!]?([^\s*<>]{1,40})\s+\S/.exec(said);
      return actor ? { author: requiredGroup(actor, 1), text: said } : { text: said || rest.trim() };
    }
    if (WEECHAT_SYSTEM.has(nick)) return { text: said || rest.trim() };
    const author = nick.replace(NICK_MODE, '').trim();
    if (author && author.length <= 60) return { author, text: said };
  }
  // An action ("/me"): "* bob rolled back the deploy".
  const action = /^\*\s+[@+%~&!]?([^\s*<>]{1,40})\s+(\S[\s\S]*)$/.exec(rest);
  if (action) return { author: requiredGroup(action, 1), text: rest };
  // irssi pads the mode column: "<@alice>", "<+bob>", "< bob>".
  const irc = /^<\s*[@+%~&!]?\s*([^<>\s]{1,40})\s*>\s*([\s\S]*)$/.exec(rest);
  if (irc) return { author: requiredGroup(irc, 1), text: requiredGroup(irc, 2) };
  if (dashStyle) {
    const dash = /^(\S+(?:\s\S+){0,3}?)\s+[-–—|]\s+(.*)$/.exec(rest);
    if (dash) return { author: requiredGroup(dash, 1), text: requiredGroup(dash, 2) };
  }
  // At most four words before the colon: "Alice Smith: …" is an author, "restarted the db and then: …" is not.
  const colon = /^([^:\s][^:]{0,59}?):(?:\s+(.*))?$/.exec(rest);
  if (colon) {
    const name = requiredGroup(colon, 1).trim();
    const bare = name.replace(PRONOUNS, '');
    if (bare.split(/\s+/).length <= 4 && !/[,;!?()[\]]/.test(bare)) return { author: name, text: colon[2] ?? '' };
  }
  return { text: rest };
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

const TWELVE_HOURS = 12 * 3600_000;
/** Lines nobody wrote as part of a message: broken stamps ("25:61 bob: …") and irssi's "--- Day changed" / "-!- " lines. */
const LOOKS_STAMPED = /^(?:\[?\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}:\d{2})|---? |-!- )/;
const DAY_MS = 86_400_000;
/** How near the incident date a reading of numeric dates must come for that date to decide the order. */
const DATE_ORDER_WINDOW_DAYS = 14;

/** A line after the first pass: what it looks like, before times are resolved. */
type Classified =
  | { kind: 'stamped'; line: number; text: string; stamp: Stamp; rest: string; teamsHeader: boolean }
  | { kind: 'header'; line: number; text: string; name: string; stamp: Stamp }
  | { kind: 'plain'; line: number; text: string };

function classify(lines: { line: number; text: string }[]): Classified[] {
  const leading = lines.map((l) => readLeading(l.text));
  return lines.map((l, i) => {
    const lead = leading[i];
    const next = lines[i + 1];
    const nextIsPlain = next !== undefined && !leading[i + 1] && !readHeader(next.text);
    if (lead) {
      const rest = lead.rest.trim();
      // Teams' two-line header: "[10:42 AM] Alice Smith", the message on the lines below.
      const teamsHeader = lead.bracketed && nextIsPlain && !!rest && !rest.includes('\t') && isHeaderName(rest, true);
      return { kind: 'stamped', line: l.line, text: l.text, stamp: lead.stamp, rest, teamsHeader };
    }
    const head = readHeader(l.text);
    if (head) return { kind: 'header', line: l.line, text: l.text, name: head.name, stamp: { time: head.time } };
    return { kind: 'plain', line: l.line, text: l.text };
  });
}

/**
 * The order of the paste's numeric dates: the one order every date fits when only one does; else the order
 * that puts the dates nearest the incident date (within two weeks); else the person's answer; else
 * month-first (Teams' US default), flagged as a guess to ask about.
 */
function decideDateOrder(dates: NumericDate[], incidentDate: string, chosen: DateOrder | undefined): DateOrderDecision | null {
  const undecided = dates.filter((d) => d.a !== d.b);
  if (!undecided.length) return null;
  const fits = (o: DateOrder) => undecided.every((d) => numericToIso(d, o) !== null);
  const [month, day] = [fits('month-first'), fits('day-first')];
  if (month !== day) return { used: month ? 'month-first' : 'day-first', decidedBy: 'the paste', ambiguous: false };
  if (!month) return { used: chosen ?? 'month-first', decidedBy: 'each line', ambiguous: false };
  if (chosen) return { used: chosen, decidedBy: 'your choice', ambiguous: false };
  const incident = Date.parse(`${incidentDate}T00:00:00Z`);
  const nearest = (o: DateOrder) => Math.min(...undecided.map((d) => Math.abs(Date.parse(`${numericToIso(d, o)}T00:00:00Z`) - incident) / DAY_MS));
  const [m, dd] = [nearest('month-first'), nearest('day-first')];
  if (m !== dd && Math.min(m, dd) <= DATE_ORDER_WINDOW_DAYS) return { used: m < dd ? 'month-first' : 'day-first', decidedBy: 'the incident date', ambiguous: false };
  return { used: 'month-first', decidedBy: 'the incident date', ambiguous: true };
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function parseChatLog(text: string, opts: ChatLogOptions): ChatLogResult {
  if (!isCalendarDate(opts.date)) throw new RangeError(`date must be YYYY-MM-DD, got ${opts.date}`);
  const prefix = opts.idPrefix ?? 'chat';
  const rawLines = text
    .split(/\r\n|\r|\n/)
    .map((l, i) => ({ line: i + 1, text: l.trim() }))
    .filter((l) => l.text);
  const classified = classify(rawLines);
  const numericDates = classified.flatMap((c) => (c.kind === 'stamped' && c.stamp.numericDate ? [c.stamp.numericDate] : []));
  const dateOrder = decideDateOrder(numericDates, opts.date, opts.dateOrder);

  const entries: TimelineEntry[] = [];
  const reads: ChatLineRead[] = [];
  let unparsed = 0;

  // The day that time-only lines belong to; moves forward when the chat crosses midnight.
  let currentDate = opts.date;
  let previous: number | null = null;
  /** An open Slack/Teams header: the lines under it are its messages. */
  let header: { author: string; at: string; read: ChatLineRead; used: boolean } | null = null;
  /** The last timed message: a line without a time after it continues it. */
  let last: { at: string; author?: string } | null = null;

  const push = (entry: Omit<TimelineEntry, 'id'>): string => {
    const id = `${prefix}-${entries.length + 1}`;
    entries.push({ id, ...entry });
    return id;
  };

  /** A header with no message lines under it still becomes an entry: nothing is dropped. */
  const closeHeader = () => {
    if (header && !header.used) header.read.entryId = push({ at: header.at, kind: 'note', text: header.read.text, author: header.author });
    header = null;
  };

  /** The date a stamp names, in the paste's date order. */
  const dateOf = (stamp: Stamp, notes: string[]): string | undefined => {
    if (stamp.isoDate) return stamp.isoDate;
    if (!stamp.numericDate) return undefined;
    const d = stamp.numericDate;
    const order = dateOrder && dateOrder.decidedBy !== 'each line' ? dateOrder.used : d.a > 12 ? 'day-first' : 'month-first';
    const iso = numericToIso(d, order) ?? numericToIso(d, order === 'day-first' ? 'month-first' : 'day-first');
    if (d.a !== d.b) notes.push(`${d.a}/${d.b}/${d.year} read as ${order === 'day-first' ? 'day/month' : 'month/day'}: ${iso}`);
    return iso ?? undefined;
  };

  /**
   * Whether the lines after index i, still inside the same repeated hour, go back on the clock: then the
   * first reading of this wall time is meant (01:10, 01:50, 01:05 on a fall-back night: 01:10 and 01:50
   * before the clocks went back, 01:05 after).
   */
  const laterLinesGoBack = (i: number, date: string, wall: number): boolean => {
    for (const c of classified.slice(i + 1)) {
      if (c.kind === 'plain') continue;
      const stamp = c.stamp;
      if (stamp.offsetMinutes !== undefined || stamp.isoDate || stamp.numericDate) return false;
      if (wallTimeInstants(date, stamp.time, opts.timeZone).length < 2) return false;
      const w = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), stamp.time.hour, stamp.time.minute, stamp.time.second, stamp.time.millisecond);
      if (w < wall) return true;
    }
    return false;
  };

  /** The instant of a stamp, rolling time-only lines over midnight and ordering the repeated hour of a DST change. */
  const instantOf = (stamp: Stamp, i: number, notes: string[]): number => {
    const ownDate = dateOf(stamp, notes);
    const timeOnly = ownDate === undefined;
    const t0 = stamp.time;
    const resolve = (date: string): number => {
      const wall = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), t0.hour, t0.minute, t0.second, t0.millisecond);
      if (stamp.offsetMinutes !== undefined) return wall - stamp.offsetMinutes * 60_000;
      const found = wallTimeInstants(date, t0, opts.timeZone);
      if (found.length === 2) {
        const [earlier, later] = [found[0].getTime(), found[1].getTime()];
        const pick = previous !== null && earlier < previous ? later : laterLinesGoBack(i, date, wall) ? earlier : later;
        return pick;
      }
      return found.length ? found[0].getTime() : zonedTimeToUtc(date, t0, opts.timeZone).getTime();
    };
    let t = resolve(ownDate ?? currentDate);
    if (timeOnly && previous != null && t < previous - TWELVE_HOURS) {
      currentDate = addDaysToLocalDate(currentDate, 1);
      t = resolve(currentDate);
      notes.push(`after midnight: ${currentDate}`);
    }
    if (stamp.offsetMinutes === undefined) {
      const found = wallTimeInstants(ownDate ?? currentDate, t0, opts.timeZone);
      if (found.length === 2) notes.push(t === found[0].getTime() ? 'the first of the repeated hour (before the clocks went back)' : 'the second of the repeated hour (after the clocks went back)');
      if (!found.length) notes.push('a time the clocks skipped: read one gap later');
    } else if (stamp.zone && stamp.zone !== 'Z') {
      notes.push(`${stamp.zone} = ${formatOffset(stamp.offsetMinutes)}`);
    }
    // A dated line sets the day for the time-only lines after it.
    if (!timeOnly) currentDate = localDate(new Date(t), opts.timeZone);
    previous = t;
    return t;
  };

  classified.forEach((c, i) => {
    const notes: string[] = [];
    const read: ChatLineRead = { line: c.line, text: c.text, reading: 'untimed', at: null, notes };
    reads.push(read);

    if (c.kind === 'stamped') {
      const at = new Date(instantOf(c.stamp, i, notes)).toISOString();
      read.at = at;
      const openAuthor: string | undefined = (header as { author: string } | null)?.author;
      closeHeader();
      if (c.teamsHeader) {
        read.reading = 'header';
        read.author = c.rest;
        header = { author: c.rest, at, read, used: false };
        last = null;
        return;
      }
      if (!c.rest) {
        // A bare time: Slack's marker for another message by the same sender.
        if (openAuthor) {
          read.reading = 'header';
          read.author = openAuthor;
          header = { author: openAuthor, at, read, used: false };
          last = null;
        } else {
          read.reading = 'message';
          read.entryId = push({ at, kind: 'note', text: c.text });
          last = { at };
        }
        return;
      }
      const dashStyle = /^[-–—|]\s/.test(c.rest);
      const { author, text: message } = splitAuthor(dashStyle ? c.rest.replace(/^[-–—|]\s+/, '') : c.rest, dashStyle);
      const body = message.trim() || c.text;
      read.reading = 'message';
      if (author) read.author = author;
      read.entryId = push({ at, kind: inferKind(body), text: body, ...(author ? { author } : {}) });
      last = { at, ...(author ? { author } : {}) };
      return;
    }

    if (c.kind === 'header') {
      closeHeader();
      const at = new Date(instantOf(c.stamp, i, notes)).toISOString();
      Object.assign(read, { reading: 'header', at, author: c.name });
      header = { author: c.name, at, read, used: false };
      last = null;
      return;
    }

    if (header) {
      header.used = true;
      Object.assign(read, { reading: 'message', at: header.at, author: header.author });
      read.entryId = push({ at: header.at, kind: inferKind(c.text), text: c.text, author: header.author });
      return;
    }
    // A line that starts like a stamp but is not one ("25:61 bob: …") is nobody's continuation.
    const brokenStamp = LOOKS_STAMPED.test(c.text);
    if (brokenStamp) notes.push('not part of a message (a time that does not exist, or a log line)');
    if (last && !brokenStamp) {
      Object.assign(read, { reading: 'continuation', at: last.at, ...(last.author ? { author: last.author } : {}) });
      read.entryId = push({ at: last.at, kind: inferKind(c.text), text: c.text, ...(last.author ? { author: last.author } : {}) });
      return;
    }
    // No time we can read: keep the line as an untimed note.
    unparsed++;
    read.entryId = push({ at: null, kind: 'note', text: c.text });
  });
  closeHeader();
  return { entries, unparsed, lines: reads, dateOrder };
}
