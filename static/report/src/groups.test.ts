/** The report's client-side grouping of the rows loaded so far. */
import { expect, it } from '@jest/globals';
import type { AgeBucket, ReportRow } from '../../../src/contract/report';
import { GROUPINGS, groupRows } from './groups';

let n = 0;
function row(over: Partial<ReportRow> = {}): ReportRow {
  n += 1;
  return {
    key: `OPS-${n}`, url: `https://example.atlassian.net/browse/OPS-${n}`, summary: `Item ${n}`, projectKey: 'OPS', status: 'To Do',
    postmortem: null, assignee: null, team: null, priority: null, dueDate: null,
    created: '2026-10-01T09:00:00Z', updated: '2026-10-01T09:00:00Z', lastHumanActivity: '2026-10-01T09:00:00Z',
    ageDays: 3, ageBucket: 'under-7', reasons: [], reasonText: [],
    ...over,
  } as ReportRow;
}
const pm = (title: string, url: string | null) => ({ title, url, incidentKey: null });
const summary = (groups: { label: string; rows: ReportRow[] }[]) => groups.map((g) => [g.label, g.rows.map((r) => r.key)]);

it('offers each grouping once', () => {
  expect(new Set(GROUPINGS.map((g) => g.value)).size).toBe(GROUPINGS.length);
});

it('without grouping, keeps every row in its order in one group', () => {
  const rows = [row(), row(), row()];
  expect(groupRows(rows, 'none')).toEqual([{ key: 'all', label: '', rows }]);
  expect(groupRows([], 'none')).toEqual([{ key: 'all', label: '', rows: [] }]);
  expect(groupRows([], 'owner')).toEqual([]);
});

it('groups by assignee or team alphabetically, rows in their order, the unassigned last', () => {
  const ana = { accountId: 'u-ana', displayName: 'Ana' };
  const rows = [
    row({ key: 'A-1' }),
    row({ key: 'A-2', assignee: { accountId: 'u-zed', displayName: 'Zed' } }),
    row({ key: 'A-3', team: 'sre' }),
    row({ key: 'A-4', assignee: ana }),
    row({ key: 'A-5', assignee: ana, team: 'sre' }),
    row({ key: 'A-6' }),
  ];
  expect(summary(groupRows(rows, 'owner'))).toEqual([
    ['Ana', ['A-4', 'A-5']],
    ['Team sre (unassigned)', ['A-3']],
    ['Zed', ['A-2']],
    ['Unassigned', ['A-1', 'A-6']],
  ]);
});

it('keeps two people with the same display name apart', () => {
  const rows = [row({ key: 'B-1', assignee: { accountId: 'u-1', displayName: 'Sam' } }), row({ key: 'B-2', assignee: { accountId: 'u-2', displayName: 'Sam' } })];
  expect(summary(groupRows(rows, 'owner'))).toEqual([['Sam', ['B-1']], ['Sam', ['B-2']]]);
});

it('groups by age oldest first, whatever order the rows came in', () => {
  const buckets: AgeBucket[] = ['under-7', '30-90', 'over-90', '7-30', 'under-7'];
  const groups = groupRows(buckets.map((ageBucket, i) => row({ key: `C-${i}`, ageBucket })), 'age');
  expect(summary(groups)).toEqual([
    ['More than 90 days old', ['C-2']],
    ['30–90 days old', ['C-1']],
    ['7–30 days old', ['C-3']],
    ['Less than 7 days old', ['C-0', 'C-4']],
  ]);
});

it('groups by postmortem title, the items of no postmortem last', () => {
  const rows = [
    row({ key: 'D-1' }),
    row({ key: 'D-2', postmortem: pm('Outage B', 'https://example.atlassian.net/wiki/pages/2') }),
    row({ key: 'D-3', postmortem: pm('Outage A', 'https://example.atlassian.net/wiki/pages/1') }),
    row({ key: 'D-4', postmortem: pm('Outage B', 'https://example.atlassian.net/wiki/pages/2') }),
  ];
  expect(summary(groupRows(rows, 'postmortem'))).toEqual([
    ['Outage A', ['D-3']],
    ['Outage B', ['D-2', 'D-4']],
    ['No postmortem', ['D-1']],
  ]);
});

it('never puts items of a postmortem without a link in with another postmortem or with those of none', () => {
  // The link is null when the page id the issue names is not one (domain/site-links.ts pageLink).
  const rows = [
    row({ key: 'E-1', postmortem: pm('Outage A', null) }),
    row({ key: 'E-2' }),
    row({ key: 'E-3', postmortem: pm('Outage B', null) }),
  ];
  expect(summary(groupRows(rows, 'postmortem'))).toEqual([
    ['Outage A', ['E-1']],
    ['Outage B', ['E-3']],
    ['No postmortem', ['E-2']],
  ]);
});
