/**
 * One way to write dates in every screen of the app: the site locale's numeric date (the form its date
 * pickers show, e.g. 12/21/2026 in en-US, 21/12/2026 in en-GB), with hours and minutes where a time matters,
 * in the site's time zone (the app settings'). The locale comes from the Forge context (`locale`), read
 * once at start; until it is known, the browser's language stands in.
 */
import { view } from '@forge/bridge';

let siteLocale: string | undefined;

/** Reads the locale from the Forge context; call once when an app starts (no render waits for it). */
export async function initSiteLocale(): Promise<void> {
  try {
    const ctx = (await view.getContext()) as { locale?: string };
    if (ctx.locale) siteLocale = ctx.locale.replace('_', '-');
  } catch {
    // No context (a test page): the browser's language is used.
  }
}

export const locale = (): string | undefined => siteLocale ?? (typeof navigator === 'undefined' ? undefined : navigator.language);

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

function fmt(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale(), options);
  } catch {
    // An unknown locale tag or zone name: the browser's (a zone name it does not know would throw again).
    try {
      return new Intl.DateTimeFormat(undefined, options);
    } catch {
      return new Intl.DateTimeFormat(undefined, { ...options, timeZone: undefined });
    }
  }
}

/** A calendar date (YYYY-MM-DD), read at UTC noon so that no time zone shifts the day. */
export function formatDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  // Date rolls a day the month lacks (2026-02-29) over into the next month: that is not the day written.
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? day : fmt({ ...DATE, timeZone: 'UTC' }).format(d);
}

/** The date of an instant in the site's time zone. */
export function formatDate(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt({ ...DATE, timeZone }).format(d);
}

/** The date and time of an instant in the site's time zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt({ ...DATE, ...TIME, timeZone }).format(d);
}
