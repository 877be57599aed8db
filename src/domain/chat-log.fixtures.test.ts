/**
 * Realistic exports (test/fixtures/chat-exports): Slack (copy and export), Teams in both date orders and both
 * header styles, irssi, weechat, ISO with offsets and zone abbreviations. Every message is timed and
 * attributed; every line lands in exactly one entry, or is a header whose time and author went to the lines
 * under it.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseChatLog, type ChatLogResult } from './chat-log';

const DIR = join(__dirname, '../../test/fixtures/chat-exports');
const opts = { date: '2026-05-10', timeZone: 'America/New_York' };
const parse = (file: string): ChatLogResult => parseChatLog(readFileSync(join(DIR, file), 'utf8'), opts);
/** Lines a log tool writes itself (irssi's "--- Log opened", joins): not messages, so no author is expected. */
const SYSTEM_LINE = /^(?:--- |\S+ -!- |\S+ \S+\t-->\t)/;

describe('chat exports as people paste them', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.txt'));

  it('has the formats the issue lists', () => {
    expect(files.sort()).toEqual(['irssi.txt', 'iso-offsets.txt', 'slack-copy.txt', 'slack-export.txt', 'teams-day-first.txt', 'teams-month-first.txt', 'teams-two-line-dated.txt', 'teams-two-line.txt', 'weechat.txt']);
  });

  it.each(files)('%s: every message timed and attributed, every line accounted for, times in order', (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const r = parse(file);
    const pasted = text.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(r.lines.map((l) => l.text)).toEqual(pasted);
    for (const l of r.lines) {
      if (l.line === 1 && file === 'irssi.txt') continue; // "--- Log opened …"
      expect([l.text, l.at]).toEqual([l.text, expect.any(String)]);
      if (!SYSTEM_LINE.test(l.text)) expect([l.text, l.author]).toEqual([l.text, expect.any(String)]);
      // A header gives its time and author to the lines under it; every other line is an entry of its own.
      if (l.reading === 'header') expect(l.entryId).toBeUndefined();
      else expect(r.entries.find((e) => e.id === l.entryId)).toMatchObject({ at: l.at, ...(l.author ? { author: l.author } : {}) });
    }
    const ids = r.lines.flatMap((l) => (l.entryId ? [l.entryId] : []));
    expect(new Set(ids).size).toBe(r.entries.length);
    const times = r.entries.flatMap((e) => (e.at ? [Date.parse(e.at)] : []));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.dateOrder?.ambiguous ?? false).toBe(false);
  });

  it('Teams dates: 10/05/2026 is 10 May for a 10 May incident, 5/10/2026 too; both pastes give the same timeline', () => {
    const dayFirst = parse('teams-day-first.txt');
    const monthFirst = parse('teams-month-first.txt');
    expect(dayFirst.dateOrder).toEqual({ used: 'day-first', decidedBy: 'the incident date', ambiguous: false });
    expect(monthFirst.dateOrder).toEqual({ used: 'month-first', decidedBy: 'the incident date', ambiguous: false });
    const strip = (r: ChatLogResult) => r.entries.map(({ at, author, text }) => ({ at, author, text }));
    expect(strip(dayFirst)).toEqual(strip(monthFirst));
    // 23:29 EDT on 10 May.
    expect(dayFirst.entries[0]?.at).toBe('2026-05-11T03:29:00.000Z');
  });

  it('reads the details right', () => {
    const slack = parse('slack-copy.txt');
    expect(slack.entries.map((e) => [e.author, e.text])).toEqual([
      ['Jane Doe (she/her)', 'checkout alerts firing in #ops, PagerDuty paged me'],
      ['Jane Doe (she/her)', 'looking at the dashboards now'],
      ['raj.patel', 'ack, joining the bridge'],
      ['raj.patel', 'I see 502s from the gateway since 9:58'],
      ['Sam Lee (they/them)', 'rolled back the 9:45 deploy'],
      ['Sam Lee (they/them)', 'error rate dropping'],
      ['jane doe', 'all clear, fully restored'],
    ]);
    expect(parse('irssi.txt').entries.filter((e) => e.author).map((e) => e.author)).toEqual(['alice', 'bob', 'carol', 'carol', 'carol', 'bob', 'alice']);
    expect(parse('weechat.txt').entries.map((e) => e.author ?? null)).toEqual([null, 'alice', 'bob', 'carol', 'bob', 'alice']);
    expect(parse('iso-offsets.txt').entries.map((e) => [e.at, e.author])).toEqual([
      ['2026-05-10T10:42:13.000Z', 'alice'],
      ['2026-05-10T10:50:00.000Z', 'bob'],
      ['2026-05-10T10:55:00.000Z', 'carol'],
      ['2026-05-10T11:10:00.000Z', 'dave'],
      ['2026-05-10T11:15:00.000Z', 'erin'],
    ]);
    const teams = parse('teams-two-line.txt');
    expect(teams.lines.map((l) => l.reading)).toEqual(['header', 'message', 'header', 'message', 'message', 'header', 'message', 'header', 'message']);
  });
});

describe('the cases from issue 13', () => {
  const ny = { date: '2026-11-01', timeZone: 'America/New_York' };

  it('New York fall-back night: 01:10, 01:50, 01:05, 01:40 run forward (the first two before the clocks went back)', () => {
    const r = parseChatLog('01:10 a: alert firing\n01:50 b: ack\n01:05 b: restarted\n01:40 a: recovered', ny);
    expect(r.entries.map((e) => e.at)).toEqual(['2026-11-01T05:10:00.000Z', '2026-11-01T05:50:00.000Z', '2026-11-01T06:05:00.000Z', '2026-11-01T06:40:00.000Z']);
    expect(r.lines[0]?.notes).toEqual(['the first of the repeated hour (before the clocks went back)']);
    expect(r.lines[2]?.notes).toEqual(['the second of the repeated hour (after the clocks went back)']);
    // A lone repeated time takes the documented (later) occurrence.
    expect(parseChatLog('01:30 a: x', ny).entries[0]?.at).toBe('2026-11-01T06:30:00.000Z');
    // And a line before the repeated hour does not force the second reading.
    expect(parseChatLog('00:50 a: x\n01:30 b: y', ny).entries.map((e) => e.at)).toEqual(['2026-11-01T04:50:00.000Z', '2026-11-01T06:30:00.000Z']);
  });

  it('a zone abbreviation is the zone, not part of the author', () => {
    expect(parseChatLog('10:42 EST alice: paged', { date: '2026-11-20', timeZone: 'Europe/Berlin' }).entries[0]).toMatchObject({ at: '2026-11-20T15:42:00.000Z', author: 'alice' });
    // An upper-case name that is not a zone stays the author.
    expect(parseChatLog('10:42 BOB: paged', { date: '2026-11-20', timeZone: 'UTC' }).entries[0]).toMatchObject({ at: '2026-11-20T10:42:00.000Z', author: 'BOB' });
    expect(parseChatLog('10:42 UTC+2 alice: x', { date: '2026-11-20', timeZone: 'UTC' }).entries[0]).toMatchObject({ at: '2026-11-20T08:42:00.000Z', author: 'alice' });
  });

  it('irssi mode prefixes and padding, weechat tabs', () => {
    const r = parseChatLog('10:42 <@alice> on it\n10:43 < bob> me too\n2026-11-20 10:44:00\t+carol\trolled back', { date: '2026-11-20', timeZone: 'UTC' });
    expect(r.entries.map((e) => [e.author, e.text])).toEqual([['alice', 'on it'], ['bob', 'me too'], ['carol', 'rolled back']]);
  });

  it('multi-line messages keep their time and author', () => {
    const r = parseChatLog('[10:42 AM] alice: the deploy\nbroke checkout', { date: '2026-11-20', timeZone: 'UTC' });
    expect(r.entries.map((e) => [e.at, e.author, e.text])).toEqual([
      ['2026-11-20T10:42:00.000Z', 'alice', 'the deploy'],
      ['2026-11-20T10:42:00.000Z', 'alice', 'broke checkout'],
    ]);
  });

  it('a date order nothing decides is a guess to ask about, and the answer is used', () => {
    const text = '[03/04/2026 10:00] Alice: x';
    const far = { date: '2026-11-20', timeZone: 'UTC' };
    expect(parseChatLog(text, far).dateOrder).toEqual({ used: 'month-first', decidedBy: 'the incident date', ambiguous: true });
    const answered = parseChatLog(text, { ...far, dateOrder: 'day-first' });
    expect(answered.dateOrder).toEqual({ used: 'day-first', decidedBy: 'your choice', ambiguous: false });
    expect(answered.entries[0]?.at).toBe('2026-04-03T10:00:00.000Z');
    // A date that fits one order only decides for the whole paste.
    const decided = parseChatLog('[25/04/2026 10:00] A: x\n[03/04/2026 10:00] B: y', far);
    expect(decided.dateOrder).toMatchObject({ used: 'day-first', decidedBy: 'the paste' });
    expect(decided.entries[1]?.at).toBe('2026-04-03T10:00:00.000Z');
  });
});

describe('every line lands somewhere (property)', () => {
  const piece = fc.oneof(
    fc.constantFrom('[10:42 AM] Alice Smith', 'Jane Doe (she/her)  10:02 AM', '10:43 < bob> on it', '2026-05-10 10:42:20\t@alice\tfiring', '2026-05-10 10:50:00\t *\tbob waves', '01:30 a: x', '[10/05/2026 23:29] A: b', '--- Day changed', '10:42 EST alice: x', '25:61 bob: x', '10:05'),
    fc.string({ maxLength: 40 }),
  );
  it('one reading per non-empty line, in order; each entry comes from its line; untimed entries are the unparsed ones', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), fc.constantFrom('UTC', 'America/New_York', 'America/Santiago', 'Europe/Berlin'), (pieces, timeZone) => {
        const text = pieces.join('\n');
        const r = parseChatLog(text, { date: '2026-11-01', timeZone });
        const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
        expect(r.lines.map((l) => l.text)).toEqual(lines);
        const byId = new Map(r.entries.map((e) => [e.id, e]));
        for (const l of r.lines) {
          if (!l.entryId) {
            expect(l.reading).toBe('header');
            continue;
          }
          expect(l.text.includes(byId.get(l.entryId)!.text)).toBe(true);
          byId.delete(l.entryId);
        }
        expect(byId.size).toBe(0); // no entry without its line
        expect(r.unparsed).toBe(r.entries.filter((e) => e.at === null).length);
      }),
      { numRuns: 300 },
    );
  });
});
