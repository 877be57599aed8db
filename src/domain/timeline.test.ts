import type { TimelineEntry, TimelineKind } from '../contract/postmortem';
import { computeTimelineMetrics, formatDuration, sortTimeline } from './timeline';

let n = 0;
const e = (kind: TimelineKind, at: string | null, text: string = kind): TimelineEntry => ({ id: `t${++n}`, kind, at, text });
const MIN = 60_000;

describe('computeTimelineMetrics', () => {
  it('computes the four durations from a complete timeline', () => {
    const m = computeTimelineMetrics([
      e('initial-failure', '2026-11-20T10:00:00Z'),
      e('detection', '2026-11-20T10:12:00Z'),
      e('response', '2026-11-20T10:15:00Z'),
      e('remediation', '2026-11-20T10:40:00Z'),
      e('remediation', '2026-11-20T10:30:00Z'),
      e('resolution', '2026-11-20T11:00:00Z'),
      e('resolution', '2026-11-20T12:15:00Z'),
      e('note', null, 'someone asked for a status update'),
    ]);
    expect(m).toEqual({
      timeToDetectMs: 12 * MIN,
      timeToRespondMs: 3 * MIN,
      timeToMitigateMs: 30 * MIN, // the earliest remediation
      timeToResolveMs: 135 * MIN, // the latest resolution
      startedAt: '2026-11-20T10:00:00.000Z',
      detectedAt: '2026-11-20T10:12:00.000Z',
      respondedAt: '2026-11-20T10:15:00.000Z',
      mitigatedAt: '2026-11-20T10:30:00.000Z',
      resolvedAt: '2026-11-20T12:15:00.000Z',
      warnings: [],
    });
  });

  it('uses the earliest failure/detection/response regardless of order, and accepts offsets', () => {
    const m = computeTimelineMetrics([
      e('detection', '2026-11-20T11:20:00+01:00'),
      e('detection', '2026-11-20T10:30:00Z'),
      e('initial-failure', '2026-11-20T10:05:00Z'),
      e('initial-failure', '2026-11-20T10:00:00Z'),
    ]);
    expect(m.timeToDetectMs).toBe(20 * MIN);
    expect(m.detectedAt).toBe('2026-11-20T10:20:00.000Z');
  });

  it('gives null for what it cannot compute', () => {
    const m = computeTimelineMetrics([e('detection', '2026-11-20T10:12:00Z'), e('resolution', '2026-11-20T11:00:00Z')]);
    expect(m.timeToDetectMs).toBeNull();
    expect(m.timeToRespondMs).toBeNull();
    expect(m.timeToMitigateMs).toBeNull();
    expect(m.timeToResolveMs).toBeNull();
    expect(m.startedAt).toBeNull();
    expect(m.warnings).toEqual([]);
    expect(computeTimelineMetrics([]).timeToDetectMs).toBeNull();
  });

  it('warns about detection before the failure and resolution before detection, without negative durations', () => {
    const m = computeTimelineMetrics([
      e('initial-failure', '2026-11-20T10:30:00Z'),
      e('detection', '2026-11-20T10:00:00Z'),
      e('resolution', '2026-11-20T09:00:00Z'),
    ]);
    expect(m.timeToDetectMs).toBeNull();
    expect(m.timeToResolveMs).toBeNull();
    expect(m.warnings).toEqual([
      'The detection (2026-11-20T10:00:00.000Z) is before the initial failure (2026-11-20T10:30:00.000Z); check both times.',
      'The resolution (2026-11-20T09:00:00.000Z) is before the initial failure (2026-11-20T10:30:00.000Z); check both times.',
      'The resolution (2026-11-20T09:00:00.000Z) is before the detection (2026-11-20T10:00:00.000Z); check both times.',
    ]);
  });

  it('warns about milestones without a readable time, but not about untimed notes', () => {
    const m = computeTimelineMetrics([
      e('initial-failure', '2026-11-20T10:00:00Z'),
      e('detection', null, 'PagerDuty alert fired for checkout latency'),
      e('response', 'yesterday-ish', 'Bob acked'),
      e('note', null, 'just a note'),
    ]);
    expect(m.timeToDetectMs).toBeNull();
    expect(m.warnings).toEqual([
      'The detection entry “PagerDuty alert fired for checkout latency” has no time, so it is left out of the durations.',
      'The response entry “Bob acked” has a time we cannot read (yesterday-ish), so it is left out of the durations.',
    ]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [20_000, '< 1 min'],
    [45_000, '1 min'],
    [45 * MIN, '45 min'],
    [60 * MIN, '1 h'],
    [135 * MIN, '2 h 15 min'],
    [135 * MIN + 29_000, '2 h 15 min'],
    [(3 * 24 + 4) * 60 * MIN + 17 * MIN, '3 d 4 h'],
    [2 * 24 * 60 * MIN, '2 d'],
    [-45 * MIN, '−45 min'],
    [Number.NaN, '—'],
  ])('%p ms → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('sortTimeline', () => {
  it('sorts by time, stably, with untimed entries at the end in their original order', () => {
    const a = e('note', '2026-11-20T10:05:00Z', 'a');
    const b = e('note', null, 'b');
    const c = e('detection', '2026-11-20T10:00:00Z', 'c');
    const d = e('note', '2026-11-20T10:05:00Z', 'd');
    const f = e('note', 'garbage', 'f');
    const g = e('note', '2026-11-20T11:00:00+02:00', 'g'); // 09:00Z
    const input = [a, b, c, d, f, g];
    expect(sortTimeline(input).map((x) => x.text)).toEqual(['g', 'c', 'a', 'd', 'b', 'f']);
    expect(input.map((x) => x.text)).toEqual(['a', 'b', 'c', 'd', 'f', 'g']); // not mutated
  });
});
