/** The review meeting's .ics file against RFC 5545: CRLF lines, TEXT escaping, folding at 75 octets, UTC times. */
import { describe, expect, it } from '@jest/globals';
import { buildIcs, escapeText, foldLine, isEmailLike, utcStamp, type ReviewMeetingEvent } from './ics';

const octets = (s: string) => new TextEncoder().encode(s).length;
/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const contentLines = (ics: string) => unfold(ics).split('\r\n').slice(0, -1);

const event = (over: Partial<ReviewMeetingEvent> = {}): ReviewMeetingEvent => ({
  pageId: '1001',
  localId: 'macro-1',
  title: 'Checkout outage',
  startsAt: '2026-11-20T10:00:00Z',
  pageUrl: 'https://example.atlassian.net/wiki/pages/1001',
  attendees: [],
  now: new Date('2026-11-18T08:30:15.500Z'),
  ...over,
});

describe('escapeText (RFC 5545 §3.3.11 TEXT)', () => {
  it('escapes backslash, semicolon and comma, and writes every kind of line break as \\n', () => {
    expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
    expect(escapeText('one\r\ntwo\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
    // A backslash already followed by n stays two characters: it is not taken for a line break.
    expect(escapeText('C:\\new')).toBe('C:\\\\new');
    expect(escapeText('colons: and "quotes" pass')).toBe('colons: and "quotes" pass');
  });
});

describe('foldLine (RFC 5545 §3.1)', () => {
  it('leaves a line of exactly 75 octets alone and folds one of 76', () => {
    const exact = 'X'.repeat(75);
    expect(foldLine(exact)).toBe(exact);
    expect(foldLine(`${exact}Y`)).toBe(`${exact}\r\n Y`);
  });

  it('keeps every physical line within 75 octets, the continuation space included, and unfolds to the same text', () => {
    const line = `DESCRIPTION:${'word '.repeat(80)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(5);
    for (const p of physical) expect(octets(p)).toBeLessThanOrEqual(75);
    expect(physical.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(line);
  });

  it('never splits a multi-octet character or a surrogate pair', () => {
    const line = `SUMMARY:${'é'.repeat(40)}${'🔥'.repeat(30)}${'日本'.repeat(20)}`;
    const physical = foldLine(line).split('\r\n');
    for (const p of physical) {
      expect(octets(p)).toBeLessThanOrEqual(75);
      // A lone surrogate would be re-encoded as U+FFFD and change the text.
      expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(unfold(foldLine(line))).toBe(line);
  });
});

describe('utcStamp', () => {
  it('writes the UTC form without milliseconds', () => {
    expect(utcStamp(new Date('2026-11-20T10:00:00.999Z'))).toBe('20261120T100000Z');
    expect(utcStamp(new Date('2026-11-20T11:00:00+01:00'))).toBe('20261120T100000Z');
  });
});

describe('isEmailLike', () => {
  it('takes addresses, refuses account ids and anything with spaces or angle brackets', () => {
    expect(isEmailLike(' ana@example.com ')).toBe(true);
    for (const id of ['557058:0d1e2f', 'ana@example', 'ana example@example.com', '<ana@example.com>', '', 'ana@exa\r\nmple.com']) expect([id, isEmailLike(id)]).toEqual([id, false]);
  });
});

describe('buildIcs', () => {
  it('is one VEVENT of 30 minutes in UTC, every line ended by CRLF', () => {
    const ics = buildIcs(event());
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = contentLines(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        'VERSION:2.0',
        'UID:postmortem-1001-macro-1@postmortem-follow-through',
        'DTSTAMP:20261118T083015Z',
        'DTSTART:20261120T100000Z',
        'DTEND:20261120T103000Z',
        'SUMMARY:Postmortem review: Checkout outage',
        'DESCRIPTION:Review of the postmortem "Checkout outage".\\nDocument: https://example.atlassian.net/wiki/pages/1001',
        'URL:https://example.atlassian.net/wiki/pages/1001',
      ]),
    );
  });

  it('ends a meeting that crosses midnight and the year in the next year, in UTC', () => {
    const lines = contentLines(buildIcs(event({ startsAt: '2026-12-31T19:45:00-05:00', durationMinutes: 45 })));
    expect(lines).toContain('DTSTART:20270101T004500Z');
    expect(lines).toContain('DTEND:20270101T013000Z');
  });

  it('refuses a start that is not a date and time', () => {
    expect(() => buildIcs(event({ startsAt: 'next Tuesday' }))).toThrow(RangeError);
    expect(() => buildIcs(event({ startsAt: '' }))).toThrow(RangeError);
  });

  it('escapes the title so that no line break or delimiter in it makes a new property', () => {
    const ics = buildIcs(event({ title: 'DB; failover, part 2\r\nEND:VEVENT\r\nBEGIN:VALARM' }));
    const lines = contentLines(ics);
    expect(lines.filter((l) => /^(BEGIN|END):/.test(l))).toEqual(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT', 'END:VCALENDAR']);
    expect(lines).toContain('SUMMARY:Postmortem review: DB\\; failover\\, part 2\\nEND:VEVENT\\nBEGIN:VALARM');
  });

  it('folds a long title to 75-octet lines that unfold to the escaped text', () => {
    const title = `Löng ${'incident title, with commas; '.repeat(6)}`;
    const ics = buildIcs(event({ title }));
    for (const p of ics.split('\r\n')) expect(octets(p)).toBeLessThanOrEqual(75);
    expect(contentLines(ics)).toContain(`SUMMARY:${escapeText(`Postmortem review: ${title}`)}`);
  });

  it('invites only attendees with an address, quoting names that hold delimiters and dropping quotes', () => {
    const ics = buildIcs(
      event({
        attendees: [
          { id: ' ana@example.com ', displayName: 'Ana, SRE: "on call"' },
          { id: '557058:0d1e2f', displayName: 'No address' },
          { id: 'bo@example.com', displayName: '' },
        ],
      }),
    );
    const attendees = contentLines(ics).filter((l) => l.startsWith('ATTENDEE'));
    expect(attendees).toEqual([
      'ATTENDEE;CN="Ana, SRE: on call";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:ana@example.com',
      'ATTENDEE;CN=bo@example.com;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bo@example.com',
    ]);
  });

  it('has no URL property without a page link, and a page link cannot add properties', () => {
    expect(contentLines(buildIcs(event({ pageUrl: '' }))).some((l) => l.startsWith('URL'))).toBe(false);
    const lines = contentLines(buildIcs(event({ pageUrl: 'https://x.test/p\r\nATTENDEE:mailto:eve@evil.test' })));
    expect(lines.some((l) => l.startsWith('ATTENDEE'))).toBe(false);
    expect(lines.some((l) => l.startsWith('URL'))).toBe(false);
    expect(contentLines(buildIcs(event({ pageUrl: 'javascript:alert(1)' }))).some((l) => l.startsWith('URL'))).toBe(false);
  });
});
