/** datetime-local inputs read and write wall-clock times in the site's time zone, not the browser's. */
import { localDate, zonedParts, zonedTimeToUtc } from '../../../src/domain/time-zone';

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
  return zonedTimeToUtc(m[1], { hour: Number(m[2]), minute: Number(m[3]) }, timeZone).toISOString();
}

/** A readable date and time in the site's zone, e.g. "Mon, 20 Nov 2026, 10:00". */
export function formatInstant(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

export { localDate };

let counter = 0;
/** Short ids for new timeline entries and action items (unique within a document). */
export function newId(prefix: string): string {
  counter += 1;
  const random = globalThis.crypto?.randomUUID?.().slice(0, 8) ?? Math.random().toString(36).slice(2, 10);
  return `${prefix}-${Date.now().toString(36)}${counter}-${random}`;
}
