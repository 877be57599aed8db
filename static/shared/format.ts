/** Formatting and navigation the Custom UI apps share. */
import { router } from '@forge/bridge';
import type { MouseEvent } from 'react';

/** Dates: one format for the whole app (static/shared/dates.ts). */
export { formatDate, formatDateTime, formatDay } from './dates';

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** A link click inside the app's iframe: the product navigates (a plain link would load inside the frame). */
export function navigate(e: MouseEvent, to: Parameters<typeof router.navigate>[0]) {
  e.preventDefault();
  void router.navigate(to);
}
