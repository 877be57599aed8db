/** datetime-local inputs read and write wall-clock times in the site's time zone, not the browser's. */
import { localDate, zonedParts, zonedTimeToUtc } from '../../../src/domain/time-zone';
import { requiredGroup } from '../../../src/domain/match-group';
import { formatDateTime } from '../../shared/dates';

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → "YYYY-MM-DDTHH:MM" in `timeZone`; '' for null or unreadable. */
export function toLocalInput(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = zonedParts(d, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "YYYY-MM-DDTHH:MM" in `timeZone` → ISO instant; null for '' or a partial value. */
export function fromLocalInput(value: string, timeZone: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  return zonedTimeToUtc(requiredGroup(m, 1), { hour: Number(m[2]), minute: Number(m[3]) }, timeZone).toISOString();
}

/** A date and time in the site's zone, in the app's one date format (static/shared/dates.ts). */
export function formatInstant(iso: string | null, timeZone: string): string {
  return iso ? formatDateTime(iso, timeZone) : '—';
}

export { localDate };

let counter = 0;
/** Short ids for new timeline entries and action items (unique within a document). */
export function newId(prefix: string): string {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}${counter}-${random}`;
}
