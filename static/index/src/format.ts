/** Formatting shared by the tabs. */
import { formatDuration } from '../../../src/domain/timeline';
import { typedInvoke } from '../../shared/invoke';
import type { PostmortemIndexDefinitions } from '../../../src/contract/postmortem-index';

export const call = typedInvoke<PostmortemIndexDefinitions>();

const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortMonthFmt = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });

/** A date in the app's time zone (the one the figures are counted in): static/shared/dates.ts. */
export { formatDate } from '../../shared/dates';
/** "Oct 2026"; short: "Oct ’26" (chart axes). */
export const formatMonth = (month: string, short = false) =>
  short ? `${shortMonthFmt.format(new Date(`${month}-15T12:00:00Z`))} ’${month.slice(2, 4)}` : monthFmt.format(new Date(`${month}-15T12:00:00Z`));
export const minutes = (m: number | null) => (m == null ? '—' : formatDuration(m * 60_000));
export const percent = (x: number | null) => (x == null ? '—' : `${Math.round(x * 100)}%`);
export const days = (d: number | null) => (d == null ? '—' : `${d} d`);

export const CATEGORY_LABELS = { detection: 'Detection / monitoring', escalation: 'Escalation', resilience: 'Secondary systems', documentation: 'Documentation' } as const;

export { formatDay, navigate, plural, safeUrl } from '../../shared/format';
