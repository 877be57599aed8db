import type { TimelineEntry } from '../contract/postmortem';
import { importedEntryId, jiraInstant, mergeImportedTimeline, plainText, timelineFromIncidentHistory, type IncidentHistory } from './incident-timeline';
import { computeTimelineMetrics } from './timeline';

const adf = (...paragraphs: string[]) => ({ type: 'doc', version: 1, content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) });

const history = (over: Partial<IncidentHistory> = {}): IncidentHistory => ({
  issueId: '10001',
  issueKey: 'INC-1',
  summary: 'Checkout API returning 502s',
  created: '2026-11-05T09:20:00.000+0000',
  creator: 'Avery Admin',
  changes: [
    { id: '3', created: '2026-11-05T09:35:00.000+0000', author: 'Eden Editor', items: [{ field: 'status', from: 'To Do', to: 'In Progress' }] },
    { id: '1', created: '2026-11-05T09:26:00.000+0000', author: 'Avery Admin', items: [{ field: 'priority', from: 'Medium', to: 'Highest' }] },
    { id: '2', created: '2026-11-05T09:31:00.000+0000', author: 'Avery Admin', items: [{ field: 'assignee', from: null, to: 'Eden Editor' }, { field: 'labels', from: null, to: 'sev1' }] },
    { id: '4', created: '2026-11-05T10:30:00.000+0000', author: 'Eden Editor', items: [{ field: 'status', from: 'In Progress', to: 'Mitigated' }] },
    { id: '5', created: '2026-11-05T13:00:00.000+0000', author: 'Avery Admin', items: [{ field: 'status', from: 'Mitigated', to: 'Done' }, { field: 'resolution', from: null, to: 'Done' }] },
    { id: '6', created: '2026-11-05T13:05:00.000+0000', author: 'Avery Admin', items: [{ field: 'description', from: null, to: 'x' }] },
  ],
  comments: [{ id: '900', created: '2026-11-05T10:00:00.000+0000', author: 'Eden Editor', body: adf('Rolled back the pin;', 'error rate recovering.') }],
  ...over,
});

describe('guessing kinds from the incident history', () => {
  it('reads creation as detection, the first status change as response, a mitigated status as remediation, the resolution as resolution', () => {
    const rows = timelineFromIncidentHistory(history());
    expect(rows.map((r) => [r.at, r.kind, r.author, r.text])).toEqual([
      ['2026-11-05T09:20:00.000Z', 'detection', 'Avery Admin', 'INC-1 created: Checkout API returning 502s'],
      ['2026-11-05T09:26:00.000Z', 'note', 'Avery Admin', 'Priority Medium → Highest'],
      ['2026-11-05T09:31:00.000Z', 'note', 'Avery Admin', 'Assigned to Eden Editor'],
      ['2026-11-05T09:35:00.000Z', 'response', 'Eden Editor', 'Status To Do → In Progress'],
      ['2026-11-05T10:00:00.000Z', 'note', 'Eden Editor', 'Comment: Rolled back the pin; error rate recovering.'],
      ['2026-11-05T10:30:00.000Z', 'remediation', 'Eden Editor', 'Status In Progress → Mitigated'],
      ['2026-11-05T13:00:00.000Z', 'resolution', 'Avery Admin', 'Status Mitigated → Done; Resolved as Done'],
    ]);
  });

  it('keeps the first status change as the only response; a reopened incident resolves again, and the metrics take the last resolution', () => {
    const rows = timelineFromIncidentHistory(
      history({
        changes: [
          { id: '1', created: '2026-11-05T09:30:00Z', author: 'E', items: [{ field: 'status', from: 'To Do', to: 'In Progress' }] },
          { id: '2', created: '2026-11-05T09:40:00Z', author: 'E', items: [{ field: 'status', from: 'In Progress', to: 'In Review' }] },
          { id: '3', created: '2026-11-05T11:00:00Z', author: 'E', items: [{ field: 'status', from: 'In Review', to: 'Done' }, { field: 'resolution', from: null, to: 'Done' }] },
          { id: '4', created: '2026-11-05T12:00:00Z', author: 'E', items: [{ field: 'status', from: 'Done', to: 'In Progress' }, { field: 'resolution', from: 'Done', to: null }] },
          { id: '5', created: '2026-11-05T14:00:00Z', author: 'E', items: [{ field: 'status', from: 'In Progress', to: 'Done' }, { field: 'resolution', from: null, to: 'Done' }] },
        ],
        comments: [],
      }),
    );
    expect(rows.map((r) => `${r.kind}: ${r.text}`)).toEqual([
      'detection: INC-1 created: Checkout API returning 502s',
      'response: Status To Do → In Progress',
      'note: Status In Progress → In Review',
      'resolution: Status In Review → Done; Resolved as Done',
      'note: Status Done → In Progress; Reopened',
      'resolution: Status In Progress → Done; Resolved as Done',
    ]);
    const m = computeTimelineMetrics([{ id: 'f', at: '2026-11-05T09:00:00Z', kind: 'initial-failure', text: 'bad deploy' }, ...rows]);
    expect(m).toMatchObject({ timeToDetectMs: 20 * 60_000, timeToRespondMs: 10 * 60_000, timeToResolveMs: 5 * 3_600_000, warnings: [] });
  });

  it('an incident resolved in one step has no response; an unassignment says who it was', () => {
    const rows = timelineFromIncidentHistory(
      history({
        changes: [
          { id: '1', created: '2026-11-05T09:30:00Z', author: null, items: [{ field: 'assignee', from: 'Eden Editor', to: null }] },
          { id: '2', created: '2026-11-05T09:40:00Z', author: 'E', items: [{ field: 'status', from: 'To Do', to: 'Done' }, { field: 'resolution', from: null, to: "Won't Do" }] },
        ],
        comments: [],
      }),
    );
    expect(rows.slice(1).map((r) => [r.kind, r.text, r.author])).toEqual([
      ['note', 'Unassigned (was Eden Editor)', undefined],
      ['resolution', "Status To Do → Done; Resolved as Won't Do", 'E'],
    ]);
  });

  it('gives every Jira event an identity from Jira ids only', () => {
    const rows = timelineFromIncidentHistory(history());
    expect(rows.map((r) => r.id)).toEqual(['jira-10001-created', 'jira-10001-change-1', 'jira-10001-change-2', 'jira-10001-change-3', 'jira-10001-comment-900', 'jira-10001-change-4', 'jira-10001-change-5']);
    expect(importedEntryId('10<b>01', { comment: '"><img>' })).toBe('jira-10b01-comment-img');
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('reads comments as plain text: markup stays text, mentions by name, long ones shortened', () => {
    const body = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '<img src=x onerror=alert(1)> ' }, { type: 'mention', attrs: { id: 'a', text: '@Eden' }, content: [] }, { type: 'hardBreak' }, { type: 'text', text: 'done', marks: [{ type: 'strong' }] }] }] };
    expect(plainText(body)).toBe('<img src=x onerror=alert(1)> @Eden done');
    expect(plainText(adf('x'.repeat(500)))).toHaveLength(280);
    expect(plainText(adf('x'.repeat(500))).endsWith('…')).toBe(true);
    expect(plainText('not a document')).toBe('');
    expect(plainText(null)).toBe('');
    const empty = timelineFromIncidentHistory(history({ changes: [], comments: [{ id: '1', created: '2026-11-05T10:00:00Z', author: null, body: { type: 'doc', version: 1, content: [] } }] }));
    expect(empty[1]).toEqual({ id: 'jira-10001-comment-1', at: '2026-11-05T10:00:00.000Z', kind: 'note', text: 'Comment' });
  });

  it('reads Jira times with or without a colon in the offset, and skips what it cannot read', () => {
    expect(jiraInstant('2026-11-05T11:20:00.000+0200')).toBe('2026-11-05T09:20:00.000Z');
    expect(jiraInstant('2026-11-05T11:20:00.000+02:00')).toBe('2026-11-05T09:20:00.000Z');
    expect(jiraInstant('yesterday')).toBeNull();
    const rows = timelineFromIncidentHistory(history({ created: 'bad', changes: [{ id: '1', created: 'bad', author: 'E', items: [{ field: 'status', from: 'a', to: 'b' }] }], comments: [] }));
    expect(rows).toEqual([]);
  });
});

describe('merging imported rows into a timeline', () => {
  const imported = timelineFromIncidentHistory(history());

  it('adds everything to an empty timeline, and nothing the second time', () => {
    const first = mergeImportedTimeline([], imported);
    expect(first.toAdd).toEqual(imported);
    expect(first.alreadyThere).toEqual([]);
    const second = mergeImportedTimeline([...first.toAdd], imported);
    expect(second.toAdd).toEqual([]);
    expect(second.alreadyThere).toHaveLength(imported.length);
  });

  it('knows a row by its identity even after a person edited its text, kind or time', () => {
    const edited = imported.map((e, i) => (i === 3 ? { ...e, text: 'Eden starts the rollback', kind: 'remediation' as const, at: '2026-11-05T09:36:00.000Z' } : e));
    expect(mergeImportedTimeline(edited, imported).toAdd).toEqual([]);
  });

  it('counts the detection and resolution Create postmortem wrote from the same incident as already there', () => {
    const seeded: TimelineEntry[] = [
      { id: 'timeline-detection', at: '2026-11-05T09:20:00Z', kind: 'detection', text: 'Incident detected' },
      { id: 'timeline-resolution', at: '2026-11-05T13:00:00.000Z', kind: 'resolution', text: 'Incident resolved' },
      { id: 'mine', at: '2026-11-05T10:00:00Z', kind: 'note', text: 'Something else at the same minute' },
    ];
    const { toAdd, alreadyThere } = mergeImportedTimeline(seeded, imported);
    expect(alreadyThere.map((e) => e.id)).toEqual(['jira-10001-created', 'jira-10001-change-5']);
    expect(toAdd.map((e) => e.id)).toEqual(['jira-10001-change-1', 'jira-10001-change-2', 'jira-10001-change-3', 'jira-10001-comment-900', 'jira-10001-change-4']);
  });

  it('never lists one imported row twice', () => {
    const { toAdd } = mergeImportedTimeline([], [...imported, ...imported]);
    expect(toAdd).toHaveLength(imported.length);
  });
});
