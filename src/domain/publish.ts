/**
 * Publishing a reviewed postmortem and the weekly digest: who may publish, the labels, the marker the
 * incident comment is recognised by, and the calendar weeks the digest is cut into. Pure, no I/O.
 */
import type { Postmortem } from '../contract/postmortem';
import { addDaysToLocalDate, dayOfWeek, formatLocalDate, isCalendarDate, localDate, parseLocalDate, startOfLocalDay } from './time-zone';

/** The label every published postmortem page carries (the severity label goes beside it). */
export const POSTMORTEM_LABEL = 'postmortem';

/** Labels for the page: `postmortem` and the severity in lower case (`sev2`). */
export function publishLabels(pm: Pick<Postmortem, 'severity'>): string[] {
  return [POSTMORTEM_LABEL, pm.severity.toLowerCase()];
}

export interface Publisher {
  accountId: string;
  /** Whether this person may edit the page (Confluence's answer). */
  canEdit: boolean;
}

/**
 * Why this person may not publish now, or undefined when they may. The incident owner publishes (the essay
 * makes them responsible for the document); when the owner is a team or nobody, anyone who can edit the page
 * may. Only a reviewed postmortem is published: the meeting has agreed on it.
 */
export function publishRefusal(pm: Pick<Postmortem, 'status' | 'incidentOwner'>, who: Publisher): string | undefined {
  if (!who.canEdit) return 'Only people who can edit this page can publish its postmortem.';
  if (pm.incidentOwner?.kind === 'user' && pm.incidentOwner.id !== who.accountId) {
    return `Only the incident owner, ${pm.incidentOwner.displayName || 'named on the postmortem'}, can publish it.`;
  }
  if (pm.status !== 'reviewed' && pm.status !== 'published') {
    return 'Publish once the review meeting has agreed on the postmortem: move it to Reviewed first.';
  }
  return undefined;
}

/** The closing line of the incident comment; finding it on the incident means the comment was already posted. */
export const publishCommentMarker = (pageId: string, localId: string) => `Postmortem ${pageId}/${localId} published with Postmortem Follow-Through.`;

/** The first paragraph-ish of a text, cut at a word boundary. */
export function shortText(text: string, max = 400): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}\u2026`;
}

// ---------------------------------------------------------------------------------------------------------
// Weeks (ISO 8601: Monday to Sunday, numbered by the year their Thursday falls in), in the site's time zone

export interface Week {
  /** e.g. 2026-W47. */
  id: string;
  /** Monday and Sunday, YYYY-MM-DD. */
  start: string;
  end: string;
  /** The instants the week starts at and ends before (ISO, UTC), in the given time zone. */
  startsAt: string;
  endsAt: string;
}

function weekStarting(monday: string, timeZone: string): Week {
  const thursday = addDaysToLocalDate(monday, 3);
  const { year } = parseLocalDate(thursday);
  const jan1 = formatLocalDate(year, 1, 1);
  const ordinal = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000) + 1;
  const n = Math.floor((ordinal - 1) / 7) + 1;
  const next = addDaysToLocalDate(monday, 7);
  return {
    id: `${year}-W${String(n).padStart(2, '0')}`,
    start: monday,
    end: addDaysToLocalDate(monday, 6),
    startsAt: startOfLocalDay(monday, timeZone).toISOString(),
    endsAt: startOfLocalDay(next, timeZone).toISOString(),
  };
}

/** The week an instant falls in, in `timeZone`. */
export function weekOf(instant: Date, timeZone: string): Week {
  const day = localDate(instant, timeZone);
  const back = (dayOfWeek(day) + 6) % 7; // Monday = 0
  return weekStarting(addDaysToLocalDate(day, -back), timeZone);
}

/** The last complete week before the one `instant` falls in (what a digest run reports on). */
export function previousWeek(instant: Date, timeZone: string): Week {
  const current = weekOf(instant, timeZone);
  return weekStarting(addDaysToLocalDate(current.start, -7), timeZone);
}

/** A week by its id (2026-W47), or undefined for an id that names no week. */
export function weekById(id: string, timeZone: string): Week | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(id);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // Week 1 is the week with 4 January in it.
  const jan4 = formatLocalDate(year, 1, 4);
  const monday1 = addDaysToLocalDate(jan4, -((dayOfWeek(jan4) + 6) % 7));
  const week = weekStarting(addDaysToLocalDate(monday1, (n - 1) * 7), timeZone);
  return n >= 1 && week.id === id && isCalendarDate(week.start) ? week : undefined;
}

/** The digest page's title: unique per week in its space, which is how a rerun finds the page it made. */
export function digestTitle(week: Week): string {
  return `Postmortem digest ${week.id} (${week.start} to ${week.end})`;
}

/** Whether an ISO instant falls inside the week. */
export function inWeek(week: Week, instant: string | null | undefined): boolean {
  if (!instant) return false;
  const t = Date.parse(instant);
  return Number.isFinite(t) && t >= Date.parse(week.startsAt) && t < Date.parse(week.endsAt);
}
