/** Client-side grouping of the rows loaded so far (the server pages; grouping never reads more). */
import type { AgeBucket, ReportRow } from '../../../src/contract/report';

export type Grouping = 'none' | 'postmortem' | 'owner' | 'age';

export const GROUPINGS: { value: Grouping; label: string }[] = [
  { value: 'none', label: 'No grouping' },
  { value: 'postmortem', label: 'Postmortem' },
  { value: 'owner', label: 'Assignee or team' },
  { value: 'age', label: 'Age' },
];

const AGE_LABELS: Record<AgeBucket, string> = { 'under-7': 'Less than 7 days old', '7-30': '7–30 days old', '30-90': '30–90 days old', 'over-90': 'More than 90 days old' };
const AGE_ORDER: AgeBucket[] = ['over-90', '30-90', '7-30', 'under-7'];

export interface Group {
  key: string;
  label: string;
  rows: ReportRow[];
}

function ownerLabel(r: ReportRow): string {
  if (r.assignee) return r.assignee.displayName;
  if (r.team) return `Team ${r.team} (unassigned)`;
  return 'Unassigned';
}

/** Groups in a stable order: by postmortem or owner alphabetically (no postmortem or unassigned last), by age oldest first. */
export function groupRows(rows: ReportRow[], by: Grouping): Group[] {
  if (by === 'none') return [{ key: 'all', label: '', rows }];
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const [key, label] =
      by === 'postmortem'
        ? // A postmortem whose page id is not one has no link: its title keeps it apart from the others.
          [r.postmortem ? (r.postmortem.url ?? `title:${r.postmortem.title}`) : '~', r.postmortem?.title ?? 'No postmortem']
        : by === 'owner'
          ? [r.assignee ? `u:${r.assignee.accountId}` : r.team ? `t:${r.team}` : '~', ownerLabel(r)]
          : [r.ageBucket, AGE_LABELS[r.ageBucket]];
    const g = groups.get(key) ?? { key, label, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const list = [...groups.values()];
  if (by === 'age') return list.sort((a, b) => AGE_ORDER.indexOf(a.key as AgeBucket) - AGE_ORDER.indexOf(b.key as AgeBucket));
  return list.sort((a, b) => (a.key === '~' ? 1 : b.key === '~' ? -1 : a.label.localeCompare(b.label)));
}
