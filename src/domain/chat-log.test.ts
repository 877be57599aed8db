import { inferKind, parseChatLog } from './chat-log';

const berlin = { date: '2026-11-20', timeZone: 'Europe/Berlin' };
const utc = { date: '2026-11-20', timeZone: 'UTC' };
const strip = (r: ReturnType<typeof parseChatLog>) => r.entries.map(({ id: _id, ...rest }) => rest);

describe('parseChatLog formats', () => {
  it('Slack copy-paste: a "Name  time" header, then one entry per message line', () => {
    const text = ['Alice Smith  10:42 AM', 'checkout error rate alert is firing', 'looking', '', 'Bob Jones  10:45 AM', 'rolled back the 10:30 release', '10:47 AM', 'error rate back to normal'].join('\n');
    const r = parseChatLog(text, berlin);
    expect(strip(r)).toEqual([
      { at: '2026-11-20T09:42:00.000Z', author: 'Alice Smith', kind: 'detection', text: 'checkout error rate alert is firing' },
      { at: '2026-11-20T09:42:00.000Z', author: 'Alice Smith', kind: 'response', text: 'looking' },
      { at: '2026-11-20T09:45:00.000Z', author: 'Bob Jones', kind: 'remediation', text: 'rolled back the 10:30 release' },
      // A bare time is another message by the same sender.
      { at: '2026-11-20T09:47:00.000Z', author: 'Bob Jones', kind: 'resolution', text: 'error rate back to normal' },
    ]);
    expect(r.unparsed).toBe(0);
  });

  it('Slack header with lowercase handle and 24h clock', () => {
    const r = parseChatLog('alice.smith  14:02\nnoticed 502s on the gateway', utc);
    expect(strip(r)).toEqual([{ at: '2026-11-20T14:02:00.000Z', author: 'alice.smith', kind: 'detection', text: 'noticed 502s on the gateway' }]);
  });

  it('Slack export style: [10:42 AM] Alice: text', () => {
    const r = parseChatLog('[10:42 AM] Alice: PagerDuty paged me for checkout\n[1:05 PM] Bob: all clear', berlin);
    expect(strip(r)).toEqual([
      { at: '2026-11-20T09:42:00.000Z', author: 'Alice', kind: 'detection', text: 'PagerDuty paged me for checkout' },
      { at: '2026-11-20T12:05:00.000Z', author: 'Bob', kind: 'resolution', text: 'all clear' },
    ]);
  });

  it('bracketed date and time: [2026-11-20 10:42:13] alice: text (the line’s own date wins)', () => {
    const r = parseChatLog('[2026-11-21 10:42:13] alice: investigating', berlin);
    expect(strip(r)).toEqual([{ at: '2026-11-21T09:42:13.000Z', author: 'alice', kind: 'response', text: 'investigating' }]);
  });

  it('Teams: [11/20/2026 10:42 AM] Alice Smith: text', () => {
    const r = parseChatLog('[11/20/2026 10:42 AM] Alice Smith: failover to the secondary region done', berlin);
    expect(strip(r)).toEqual([{ at: '2026-11-20T09:42:00.000Z', author: 'Alice Smith', kind: 'remediation', text: 'failover to the secondary region done' }]);
    // Day/month locales: a first number above 12 is the day.
    expect(parseChatLog('[20/11/2026 10:42] Alice: x', berlin).entries[0]?.at).toBe('2026-11-20T09:42:00.000Z');
  });

  it('Teams copy-paste header: Alice Smith 10:42 AM', () => {
    const r = parseChatLog('Alice Smith 10:42 AM\nrestarted the payment workers', berlin);
    expect(strip(r)).toEqual([{ at: '2026-11-20T09:42:00.000Z', author: 'Alice Smith', kind: 'remediation', text: 'restarted the payment workers' }]);
  });

  it('plain: 10:42 alice: text', () => {
    expect(strip(parseChatLog('10:42 alice: first errors in the logs', utc))).toEqual([{ at: '2026-11-20T10:42:00.000Z', author: 'alice', kind: 'initial-failure', text: 'first errors in the logs' }]);
  });

  it('plain with seconds: 10:42:13 alice: text', () => {
    expect(strip(parseChatLog('10:42:13 alice: ack', utc))).toEqual([{ at: '2026-11-20T10:42:13.000Z', author: 'alice', kind: 'response', text: 'ack' }]);
  });

  it('dash style: 10:42 - alice - text (even with a colon in the text)', () => {
    expect(strip(parseChatLog('10:42 - alice - scaled out the API: 12 pods', utc))).toEqual([{ at: '2026-11-20T10:42:00.000Z', author: 'alice', kind: 'remediation', text: 'scaled out the API: 12 pods' }]);
  });

  it('ISO with an explicit zone: the line’s zone wins over opts.timeZone', () => {
    const r = parseChatLog('2026-11-20T10:42:13Z alice: detected elevated latency\n2026-11-20T11:50:00.250+01:00 bob: resolved', berlin);
    expect(strip(r)).toEqual([
      { at: '2026-11-20T10:42:13.000Z', author: 'alice', kind: 'detection', text: 'detected elevated latency' },
      { at: '2026-11-20T10:50:00.250Z', author: 'bob', kind: 'resolution', text: 'resolved' },
    ]);
  });

  it('ISO without a zone uses opts.timeZone', () => {
    expect(parseChatLog('2026-11-20T10:42:13 alice: x', berlin).entries[0]?.at).toBe('2026-11-20T09:42:13.000Z');
  });

  it('IRC style: 10:42 <alice> text', () => {
    expect(strip(parseChatLog('10:42 <alice> on it', utc))).toEqual([{ at: '2026-11-20T10:42:00.000Z', author: 'alice', kind: 'response', text: 'on it' }]);
  });

  it('12h clocks: 12 AM is midnight, 12 PM is noon, a.m./pm spellings', () => {
    // 9:00 a.m. after 3:15 pm is only 6 h back, so it stays on the same day (an out-of-order paste, not midnight).
    const r = parseChatLog('12:05 AM a: x\n12:30 PM b: y\n3:15pm c: z\n9:00 a.m. d: w\n11:59 PM e: v\n12:01 am f: u', utc);
    expect(r.entries.map((e) => e.at)).toEqual([
      '2026-11-20T00:05:00.000Z',
      '2026-11-20T12:30:00.000Z',
      '2026-11-20T15:15:00.000Z',
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T23:59:00.000Z',
      '2026-11-21T00:01:00.000Z',
    ]);
  });

  it('does not read "Amy" as AM or "Zoe" as Zulu time', () => {
    const r = parseChatLog('10:42 Amy: hi\n10:43 Zoe: hello', berlin);
    expect(strip(r)).toEqual([
      { at: '2026-11-20T09:42:00.000Z', author: 'Amy', kind: 'note', text: 'hi' },
      { at: '2026-11-20T09:43:00.000Z', author: 'Zoe', kind: 'note', text: 'hello' },
    ]);
  });
});

describe('parseChatLog: nothing is dropped', () => {
  it('keeps lines without a time before the first message, and broken stamps, as untimed notes; continuation lines keep their message’s time and author', () => {
    const text = 'Incident channel export\n10:42 alice: rollback started\nit took a while because the pipeline was queued\n\n   \n25:61 bob: bad time\n10:50 bob: resolved';
    const r = parseChatLog(text, { ...utc, idPrefix: 'inc42' });
    expect(r.entries).toEqual([
      { id: 'inc42-1', at: null, kind: 'note', text: 'Incident channel export' },
      { id: 'inc42-2', at: '2026-11-20T10:42:00.000Z', kind: 'remediation', text: 'rollback started', author: 'alice' },
      { id: 'inc42-3', at: '2026-11-20T10:42:00.000Z', kind: 'note', text: 'it took a while because the pipeline was queued', author: 'alice' },
      { id: 'inc42-4', at: null, kind: 'note', text: '25:61 bob: bad time' },
      { id: 'inc42-5', at: '2026-11-20T10:50:00.000Z', kind: 'resolution', text: 'resolved', author: 'bob' },
    ]);
    expect(r.unparsed).toBe(2);
    expect(r.lines.map((l) => [l.line, l.reading, l.entryId])).toEqual([
      [1, 'untimed', 'inc42-1'],
      [2, 'message', 'inc42-2'],
      [3, 'continuation', 'inc42-3'],
      [6, 'untimed', 'inc42-4'],
      [7, 'message', 'inc42-5'],
    ]);
  });

  it('keeps a header that has no message under it, and a bare time with no sender', () => {
    const r = parseChatLog('Alice Smith  10:42 AM\nBob Jones  10:43 AM\nlooking\n10:44', berlin);
    expect(strip(r)).toEqual([
      { at: '2026-11-20T09:42:00.000Z', author: 'Alice Smith', kind: 'note', text: 'Alice Smith  10:42 AM' },
      { at: '2026-11-20T09:43:00.000Z', author: 'Bob Jones', kind: 'response', text: 'looking' },
      { at: '2026-11-20T09:44:00.000Z', author: 'Bob Jones', kind: 'note', text: '10:44' },
    ]);
  });

  it('a time without an author keeps the rest as text', () => {
    expect(strip(parseChatLog('10:42 restarted the db, errors dropping', utc))).toEqual([{ at: '2026-11-20T10:42:00.000Z', kind: 'remediation', text: 'restarted the db, errors dropping' }]);
  });

  it('does not treat a sentence ending in a time as a header', () => {
    const r = parseChatLog('we restarted it at 10:42\nETA 11:00', utc);
    expect(r.entries.map((e) => e.at)).toEqual([null, null]);
    expect(r.unparsed).toBe(2);
  });

  it('an impossible date is not guessed', () => {
    expect(parseChatLog('[2026-02-30 10:00] a: x', utc).entries[0]).toMatchObject({ at: null, kind: 'note', text: '[2026-02-30 10:00] a: x' });
  });

  it('returns nothing for empty input and rejects a bad date option', () => {
    expect(parseChatLog('\n \n', utc)).toEqual({ entries: [], unparsed: 0, lines: [], dateOrder: null });
    expect(() => parseChatLog('x', { date: '20.11.2026', timeZone: 'UTC' })).toThrow(RangeError);
  });
});

describe('parseChatLog: midnight and days', () => {
  it('rolls time-only lines over midnight', () => {
    const r = parseChatLog('23:50 a: alert firing\n23:58 b: ack\n00:10 b: restarted\n01:30 a: recovered', berlin);
    expect(r.entries.map((e) => e.at)).toEqual(['2026-11-20T22:50:00.000Z', '2026-11-20T22:58:00.000Z', '2026-11-20T23:10:00.000Z', '2026-11-21T00:30:00.000Z']);
  });

  it('does not roll over for a small step back (out-of-order paste)', () => {
    const r = parseChatLog('10:42 a: x\n10:30 b: y', utc);
    expect(r.entries.map((e) => e.at)).toEqual(['2026-11-20T10:42:00.000Z', '2026-11-20T10:30:00.000Z']);
  });

  it('a dated line sets the day for the time-only lines that follow', () => {
    const r = parseChatLog('[2026-11-22 09:00] a: x\n09:30 b: y', berlin);
    expect(r.entries.map((e) => e.at)).toEqual(['2026-11-22T08:00:00.000Z', '2026-11-22T08:30:00.000Z']);
  });

  it('reads times on a DST day in the local zone', () => {
    const r = parseChatLog('01:30 a: x\n03:30 b: y', { date: '2026-03-29', timeZone: 'Europe/Berlin' });
    expect(r.entries.map((e) => e.at)).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']);
  });
});

describe('inferKind', () => {
  it.each([
    ['PagerDuty alert firing for api-gateway', 'detection'],
    ['I noticed the queue depth climbing', 'detection'],
    ['Got paged at 3am', 'detection'],
    ['ACK', 'response'],
    ['Acknowledged, investigating', 'response'],
    ['Carol joined the bridge', 'response'],
    ['on it', 'response'],
    ['Rolled back to v1.42', 'remediation'],
    ['rollback done', 'remediation'],
    ['Mitigation: traffic shifted to eu-west', 'remediation'],
    ['deployed fix for the null check', 'remediation'],
    ['hotfix is out', 'remediation'],
    ['scaled the consumers to 20', 'remediation'],
    ['all clear, fully restored', 'resolution'],
    ['Latency back to normal', 'resolution'],
    ['alert resolved', 'resolution'],
    ['checkout started failing after the deploy', 'initial-failure'],
    ['first errors at 10:02 in the logs', 'initial-failure'],
    ['can someone update the status page?', 'note'],
    ['not resolved yet', 'note'],
    ['still hasn’t recovered', 'note'],
    ['no rollback possible, schema changed', 'note'],
    ['feedback from support', 'note'],
  ])('%p → %p', (text, kind) => {
    expect(inferKind(text)).toBe(kind);
  });
});
