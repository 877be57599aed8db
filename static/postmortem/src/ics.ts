/**
 * The review meeting as an iCalendar (RFC 5545) file: one VEVENT, 30 minutes, times in UTC.
 * Pure (no DOM), so it can be unit-tested: CRLF line endings, TEXT values escaped, lines folded at 75 octets.
 */

export interface ReviewMeetingEvent {
  pageId: string;
  localId: string;
  /** Postmortem title. */
  title: string;
  /** ISO instant of the meeting. */
  startsAt: string;
  pageUrl: string;
  attendees: { id: string; displayName: string }[];
  /** Defaults to 30. */
  durationMinutes?: number;
  /** DTSTAMP; defaults to now. */
  now?: Date;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function isEmailLike(id: string): boolean {
  return EMAIL.test(id.trim());
}

/** TEXT value escaping: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (e.g. CN): quoted when it holds : ; or , — DQUOTE itself is not allowed, so it is dropped. */
function paramValue(value: string): string {
  const clean = value.replace(/["\r\n]/g, '').trim();
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/**
 * A URI property value is not escaped (RFC 5545 §3.3.13), so a line break in it would start a new property:
 * only an http(s) URL without whitespace or control characters is written.
 */
const isUriValue = (url: string) => /^https?:\/\/\S+$/i.test(url) && ![...url].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/** 20261120T100000Z */
export function utcStamp(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const encoder = new TextEncoder();

/** Folds a content line so no physical line exceeds 75 octets (continuations start with one space). */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function buildIcs(e: ReviewMeetingEvent): string {
  const start = new Date(e.startsAt);
  if (Number.isNaN(start.getTime())) throw new RangeError(`Not a date and time: ${e.startsAt}`);
  const end = new Date(start.getTime() + (e.durationMinutes ?? 30) * 60_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Postmortem Follow-Through//Review meeting//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(`postmortem-${e.pageId}-${e.localId}`)}@postmortem-follow-through`,
    `DTSTAMP:${utcStamp(e.now ?? new Date())}`,
    `DTSTART:${utcStamp(start)}`,
    `DTEND:${utcStamp(end)}`,
    `SUMMARY:${escapeText(`Postmortem review: ${e.title}`)}`,
    `DESCRIPTION:${escapeText(`Review of the postmortem "${e.title}".\nDocument: ${e.pageUrl}`)}`,
    ...(isUriValue(e.pageUrl) ? [`URL:${e.pageUrl}`] : []),
    ...e.attendees
      .filter((a) => isEmailLike(a.id))
      .map((a) => `ATTENDEE;CN=${paramValue(a.displayName || a.id)};ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${a.id.trim()}`),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
