/**
 * The text of capture group `index` in a match, for groups the pattern always fills when it matches
 * (not inside an optional or alternative part). Throws if it is missing: that is a mistake in the pattern,
 * not in the text being read, so it must not pass on silently as `undefined`.
 */
export function requiredGroup(match: RegExpExecArray, index: number): string {
  const text = match[index];
  if (text === undefined) throw new Error(`Capture group ${index} took no part in the match: the pattern makes it optional`);
  return text;
}
