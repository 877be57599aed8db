import { eventsOf, pushesOf } from './queue-payloads';

const item = (i: number, text = '') => ({ key: `OPS-${i}`, text });
const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('queue payloads', () => {
  it('cuts items into events of at most the count, in order', () => {
    const events = eventsOf(Array.from({ length: 250 }, (_, i) => item(i)), 100, 60_000, (items) => ({ items }));
    expect(events.map((e) => e.items.length)).toEqual([100, 100, 50]);
    expect(events.flatMap((e) => e.items.map((i) => i.key))).toEqual(Array.from({ length: 250 }, (_, i) => `OPS-${i}`));
  });

  it('halves an event over the size until it fits, and keeps a lone large item whole', () => {
    const big = Array.from({ length: 100 }, (_, i) => item(i, 'x'.repeat(3_000)));
    const events = eventsOf(big, 100, 60_000, (items) => ({ items }));
    expect(events.every((e) => size(e) <= 60_000)).toBe(true);
    expect(events.reduce((n, e) => n + e.items.length, 0)).toBe(100);
    expect(eventsOf([item(1, 'y'.repeat(90_000))], 100, 60_000, (items) => ({ items }))).toHaveLength(1);
  });

  it('groups events into pushes under the count and the byte limit of @forge/events', () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ n: i, pad: 'z'.repeat(50_000) }));
    const pushes = pushesOf(events, 10, 180 * 1024);
    expect(pushes.every((p) => p.length <= 10 && size(p.map((body) => ({ body }))) <= 180 * 1024)).toBe(true);
    expect(pushes.flat()).toEqual(events);
    expect(pushesOf(Array.from({ length: 25 }, (_, i) => ({ n: i })), 10, 180 * 1024).map((p) => p.length)).toEqual([10, 10, 5]);
  });
});
