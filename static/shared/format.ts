/** Formatting and navigation the Custom UI apps share. */
import { router, view } from '@forge/bridge';
import type { MouseEvent } from 'react';
import { safeUrl } from './links';

/** Dates: one format for the whole app (static/shared/dates.ts). */
export { formatDate, formatDateTime, formatDay } from './dates';

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** A link click inside the app's iframe: the product navigates (a plain link would load inside the frame). */
export function navigate(e: MouseEvent, to: Parameters<typeof router.navigate>[0]) {
  e.preventDefault();
  if (typeof to === 'string') {
    const url = safeUrl(to);
    if (url) void router.navigate(url);
    return;
  }
  void router.navigate(to);
}

/** Opens a URL from data in a new tab, only when it is http(s) or relative (static/shared/links.ts). */
export function openUrl(e: MouseEvent, to: string | undefined) {
  e.preventDefault();
  const url = safeUrl(to);
  if (url) void router.open(url);
}

export { safeUrl } from './links';

/**
 * Opens a Jira issue in a new tab from any product. `{ target: 'issue' }` is a Jira target only
 * (@forge/bridge out/router/targets.d.ts): Confluence's host refuses it, so the issue goes by its absolute
 * URL on the site, rebuilt from the key.
 */
export async function openIssue(issueKey: string): Promise<void> {
  const { siteUrl } = (await view.getContext()) as { siteUrl?: string };
  await router.open(`${String(siteUrl ?? '').replace(/\/+$/, '')}/browse/${encodeURIComponent(issueKey)}`);
}
