/**
 * Adding to a list that has a limit (timeline entries, action items, people, tags): an addition that would pass
 * the limit is refused before it is applied, saying the limit, so the document never reaches a state that no
 * save accepts. Pure; the limits are the save's own (LIMITS in ./postmortem).
 */
export function additionRefusal(what: { one: string; many: string; in: string }, current: number, adding: number, limit: number): string | undefined {
  if (current + adding <= limit) return undefined;
  const room = Math.max(0, limit - current);
  const noun = (n: number) => `${n} ${n === 1 ? what.one : what.many}`;
  return `${what.in} holds at most ${noun(limit)}; this would make ${current + adding} (it has ${current}${room ? `, so at most ${room} more` : ', the most it can hold'}). Nothing was added.`;
}

/** Field errors about one list (`timeline`, `timeline.3.text`, ...) that the list's rows do not show themselves. */
export function listErrors(fieldErrors: Record<string, string>, field: string, shownByRow: (key: string) => boolean = () => false): { key: string; index: number | null; message: string }[] {
  return Object.entries(fieldErrors)
    .filter(([k]) => (k === field || k.startsWith(`${field}.`)) && !shownByRow(k))
    .map(([key, message]) => {
      const index = key.split('.')[1];
      return { key, index: index !== undefined && /^\d+$/.test(index) ? Number(index) : null, message };
    });
}
