/**
 * Every href/src the Custom UI builds from data goes through here. React 19 blocked `javascript:` URLs when
 * rendering; the Preact compat runtime we ship does not, and URLs come from places a person can write (issue
 * properties, stored records). Only http(s) and relative URLs pass; anything else yields no link at all.
 */

/** Resolves relative URLs against a placeholder origin so they pass; the browser's own URL parser decides the scheme. */
const RELATIVE_BASE = 'https://relative.invalid/';

/** The URL if it is http(s) or relative, else undefined (the link renders without a target). */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  try {
    const { protocol } = new URL(url, RELATIVE_BASE);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
