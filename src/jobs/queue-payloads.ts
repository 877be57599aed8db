/**
 * Packing queue events within Forge's limits (@forge/events out/validators.js: at most 50 events and 200 KB of
 * JSON per push, checked before anything is sent). Pure: the jobs that push use it.
 */

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * `items` cut into events of at most `maxItems`, each event (as `toEvent` makes it) at most `maxBytes` of JSON:
 * an event over the size is halved until it fits (or holds one item).
 */
export function eventsOf<T, E>(items: T[], maxItems: number, maxBytes: number, toEvent: (items: T[]) => E): E[] {
  const out: E[] = [];
  const add = (part: T[]) => {
    const event = toEvent(part);
    if (part.length > 1 && bytes(event) > maxBytes) {
      const half = Math.ceil(part.length / 2);
      add(part.slice(0, half));
      add(part.slice(half));
    } else out.push(event);
  };
  for (let i = 0; i < items.length; i += maxItems) add(items.slice(i, i + maxItems));
  return out;
}

/** Events grouped into pushes of at most `maxEvents` and `maxBytes` of JSON (`{ body }` wrapping included). */
export function pushesOf<E>(events: E[], maxEvents: number, maxBytes: number): E[][] {
  const pushes: E[][] = [];
  let current: E[] = [];
  let size = 2;
  for (const event of events) {
    const b = bytes({ body: event }) + 1;
    if (current.length && (current.length >= maxEvents || size + b > maxBytes)) {
      pushes.push(current);
      current = [];
      size = 2;
    }
    current.push(event);
    size += b;
  }
  if (current.length) pushes.push(current);
  return pushes;
}
