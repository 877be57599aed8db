/**
 * The seeded Jira site: three projects (INC, OPS, SEC), the usual statuses/priorities/types, and a
 * handful of issues whose dates are relative to `now` so the data always looks recent.
 *
 * Conventions used by the rest of `local-site/jira`:
 *  - timestamps are stored as ISO strings (`toISOString()`); `render.ts` formats them the Jira way;
 *  - `counters.*` hold the LAST id handed out (the next one is counter + 1);
 *  - issue links follow Jira's POST /issueLink naming: for "Postmortem", `inwardIssueId` is the
 *    incident ("INC-1 has action item OPS-1") and `outwardIssueId` the action item; GET INC-1 then
 *    shows `outwardIssue: OPS-1` under the type's outward label "has action item".
 */
import type { JiraChangeItem, JiraChangelogEntry, JiraComment, JiraIssue, JiraState } from '../state/types';
import { ADMIN_ID, EDITOR_ID, NEWCOMER_ID, VIEWER_ID, seedUsers } from '../state/users';

export const STATUS = { todo: '10000', inProgress: '10001', inReview: '10002', done: '10003', wontDo: '10004' } as const;
export const PRIORITY = { highest: '1', high: '2', medium: '3', low: '4', lowest: '5' } as const;
export const ISSUE_TYPE = { incident: '10001', task: '10002', bug: '10003', story: '10004', epic: '10005' } as const;
export const RESOLUTION = { done: '10000', wontDo: '10001', duplicate: '10002' } as const;
export const LINK_TYPE = { blocks: '10000', duplicate: '10001', relates: '10003', postmortem: '10010' } as const;
export const PROJECT = { INC: '10000', OPS: '10001', SEC: '10002' } as const;
/** The one custom field: the owning team (a plain string). Required when creating a SEC Bug. */
export const TEAM_FIELD = 'customfield_10050';

/** A minimal ADF document: one paragraph per string. */
export function adf(...paragraphs: string[]): { type: 'doc'; version: 1; content: unknown[] } {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

export function seedJira(now: Date): JiraState {
  const at = (daysAgo: number, hours = 0, minutes = 0): string =>
    new Date(now.getTime() - daysAgo * 86_400_000 + hours * 3_600_000 + minutes * 60_000).toISOString();

  let issueId = 10000;
  let commentId = 10000;
  const perProject: Record<string, number> = {};

  const comment = (authorId: string, created: string, text: string): JiraComment => ({
    id: String(++commentId),
    authorId,
    body: adf(text),
    created,
    updated: created,
  });

  const issue = (projectKey: keyof typeof PROJECT, fields: Partial<JiraIssue> & Pick<JiraIssue, 'summary' | 'issueTypeId' | 'created'>): JiraIssue => {
    perProject[projectKey] = (perProject[projectKey] ?? 0) + 1;
    return {
      id: String(++issueId),
      key: `${projectKey}-${perProject[projectKey]}`,
      projectId: PROJECT[projectKey],
      statusId: STATUS.todo,
      priorityId: PRIORITY.medium,
      assigneeId: null,
      reporterId: EDITOR_ID,
      description: null,
      labels: [],
      duedate: null,
      updated: fields.created,
      resolutionId: null,
      resolutiondate: null,
      customFields: {},
      properties: {},
      comments: [],
      remoteLinks: [],
      ...fields,
    };
  };

  const resolved = (created: string, resolvedAt: string) => ({
    statusId: STATUS.done,
    resolutionId: RESOLUTION.done,
    resolutiondate: resolvedAt,
    created,
    updated: resolvedAt,
  });

  const issues: JiraIssue[] = [
    issue('INC', {
      issueTypeId: ISSUE_TYPE.incident,
      summary: 'Checkout API returning 502s after payment-gateway certificate rotation',
      description: adf(
        'From 09:12 UTC roughly 40% of checkout requests failed with 502 Bad Gateway.',
        'The payment gateway rotated its TLS certificate; our pinned intermediate was not updated.',
      ),
      priorityId: PRIORITY.highest,
      assigneeId: EDITOR_ID,
      reporterId: ADMIN_ID,
      labels: ['checkout', 'sev1'],
      customFields: { [TEAM_FIELD]: 'Payments' },
      ...resolved(at(26, 0), at(26, 3, 40)),
      comments: [],
    }),
    issue('INC', {
      issueTypeId: ISSUE_TYPE.incident,
      summary: 'Search index lag of 45 minutes in EU region',
      description: adf('Indexer consumers stalled after a Kafka partition reassignment; search results were stale.'),
      priorityId: PRIORITY.high,
      assigneeId: ADMIN_ID,
      reporterId: EDITOR_ID,
      labels: ['search', 'sev2'],
      customFields: { [TEAM_FIELD]: 'Discovery' },
      ...resolved(at(19, 2), at(19, 7, 15)),
    }),
    issue('INC', {
      issueTypeId: ISSUE_TYPE.incident,
      summary: 'Login failures for SSO customers after IdP metadata expiry',
      description: adf('SAML assertions were rejected for 3 enterprise tenants because the cached IdP metadata expired.'),
      priorityId: PRIORITY.highest,
      assigneeId: EDITOR_ID,
      reporterId: VIEWER_ID,
      labels: ['auth', 'sev1'],
      customFields: { [TEAM_FIELD]: 'Identity' },
      ...resolved(at(12, 5), at(12, 9, 5)),
    }),
    issue('INC', {
      issueTypeId: ISSUE_TYPE.incident,
      summary: 'Nightly billing export job ran twice and duplicated invoices',
      description: adf('A scheduler failover started a second export; 212 duplicate invoices were emailed before the job was stopped.'),
      priorityId: PRIORITY.high,
      assigneeId: ADMIN_ID,
      reporterId: ADMIN_ID,
      labels: ['billing', 'sev2'],
      customFields: { [TEAM_FIELD]: 'Payments' },
      ...resolved(at(5, 1), at(5, 6, 30)),
    }),
    issue('INC', {
      issueTypeId: ISSUE_TYPE.incident,
      summary: 'Elevated error rate on image uploads',
      description: adf('Uploads larger than 8 MB time out since this morning; investigating the CDN origin shield.'),
      statusId: STATUS.inProgress,
      priorityId: PRIORITY.high,
      assigneeId: EDITOR_ID,
      reporterId: EDITOR_ID,
      labels: ['media', 'sev2'],
      created: at(0, -3),
      updated: at(0, -1),
    }),
    issue('OPS', {
      issueTypeId: ISSUE_TYPE.task,
      summary: 'Automate certificate pin updates for the payment gateway',
      description: adf('Action item from the checkout 502 incident: alert 30 days before pinned certificates expire.'),
      statusId: STATUS.inProgress,
      priorityId: PRIORITY.high,
      assigneeId: EDITOR_ID,
      reporterId: ADMIN_ID,
      labels: ['postmortem-action'],
      duedate: at(-7).slice(0, 10),
      created: at(25, 2),
      updated: at(3),
    }),
    issue('OPS', {
      issueTypeId: ISSUE_TYPE.bug,
      summary: 'Grafana dashboard for Kafka consumer lag shows no data for eu-west-1',
      priorityId: PRIORITY.medium,
      reporterId: VIEWER_ID,
      created: at(9, 4),
      updated: at(9, 4),
    }),
    issue('SEC', {
      issueTypeId: ISSUE_TYPE.bug,
      summary: 'Session tokens not invalidated after password reset',
      description: adf('Existing sessions stay valid for up to 24 hours after a password reset.'),
      priorityId: PRIORITY.highest,
      assigneeId: ADMIN_ID,
      reporterId: EDITOR_ID,
      customFields: { [TEAM_FIELD]: 'Identity' },
      created: at(2, 3),
      updated: at(2, 3),
    }),
  ];

  // A little conversation on the first incident and the open one.
  // Vic follows the checkout incident: Jira's notifications reach its watchers.
  issues[0].watchers = [VIEWER_ID];
  issues[0].comments.push(
    comment(EDITOR_ID, at(26, 1), 'Rolled back the pin to the previous intermediate; error rate recovering.'),
    comment(ADMIN_ID, at(26, 3, 30), 'Confirmed stable for 2 hours. Resolving; postmortem to follow.'),
  );
  issues[4].comments.push(comment(EDITOR_ID, at(0, -2), 'Origin shield in us-east-1 is returning 504s under load.'));

  // The incidents' history, as Jira's changelog records it (GET /issue/{key}/changelog): who took it, when work
  // started, priority changes and the resolution. "Import from INC-…" in the macro builds a timeline from it.
  let changelogId = 10000;
  const userName = (id: string | null) => (id === null ? null : (seedUsers().find((u) => u.accountId === id)?.displayName ?? id));
  const statusNames: Record<string, string> = { [STATUS.todo]: 'To Do', [STATUS.inProgress]: 'In Progress', [STATUS.inReview]: 'In Review', [STATUS.done]: 'Done' };
  const priorityNames: Record<string, string> = { [PRIORITY.highest]: 'Highest', [PRIORITY.high]: 'High', [PRIORITY.medium]: 'Medium' };
  const item = (field: 'status' | 'priority' | 'assignee' | 'resolution', from: string | null, to: string | null): JiraChangeItem => {
    const name = (v: string | null) => (v === null ? null : field === 'status' ? statusNames[v] : field === 'priority' ? priorityNames[v] : field === 'assignee' ? userName(v) : 'Done');
    return { field, fieldId: field, from, fromString: name(from), to, toString: name(to) };
  };
  const change = (i: JiraIssue, authorId: string, created: string, ...items: JiraChangeItem[]) => {
    const entry: JiraChangelogEntry = { id: String(++changelogId), authorId, created, items };
    (i.changelog ??= []).push(entry);
  };
  /** Reported, prioritised, taken, worked on, resolved: the usual life of an incident. */
  const lifeOf = (i: JiraIssue, steps: { priorityAt?: string; takenBy: string; takenAt: string; workAt: string; resolvedBy?: string }) => {
    if (steps.priorityAt) change(i, i.reporterId, steps.priorityAt, item('priority', PRIORITY.medium, i.priorityId));
    change(i, steps.takenBy, steps.takenAt, item('assignee', null, i.assigneeId));
    change(i, i.assigneeId ?? steps.takenBy, steps.workAt, item('status', STATUS.todo, STATUS.inProgress));
    if (i.resolutiondate) change(i, steps.resolvedBy ?? i.assigneeId ?? steps.takenBy, i.resolutiondate, item('status', STATUS.inProgress, STATUS.done), item('resolution', null, RESOLUTION.done));
  };
  lifeOf(issues[0], { priorityAt: at(26, 0, 6), takenBy: ADMIN_ID, takenAt: at(26, 0, 11), workAt: at(26, 0, 18), resolvedBy: ADMIN_ID });
  lifeOf(issues[1], { priorityAt: at(19, 2, 20), takenBy: ADMIN_ID, takenAt: at(19, 2, 35), workAt: at(19, 2, 50) });
  lifeOf(issues[2], { priorityAt: at(12, 5, 4), takenBy: EDITOR_ID, takenAt: at(12, 5, 9), workAt: at(12, 5, 15) });
  lifeOf(issues[3], { takenBy: ADMIN_ID, takenAt: at(5, 1, 40), workAt: at(5, 2, 5) });
  lifeOf(issues[4], { priorityAt: at(0, -3, 10), takenBy: EDITOR_ID, takenAt: at(0, -3, 15), workAt: at(0, -2, 45) });

  return {
    statuses: [
      { id: STATUS.todo, name: 'To Do', statusCategory: 'new' },
      { id: STATUS.inProgress, name: 'In Progress', statusCategory: 'indeterminate' },
      { id: STATUS.inReview, name: 'In Review', statusCategory: 'indeterminate' },
      { id: STATUS.done, name: 'Done', statusCategory: 'done' },
      { id: STATUS.wontDo, name: "Won't Do", statusCategory: 'done' },
    ],
    priorities: [
      { id: PRIORITY.highest, name: 'Highest', isDefault: false },
      { id: PRIORITY.high, name: 'High', isDefault: false },
      { id: PRIORITY.medium, name: 'Medium', isDefault: true },
      { id: PRIORITY.low, name: 'Low', isDefault: false },
      { id: PRIORITY.lowest, name: 'Lowest', isDefault: false },
    ],
    issueTypes: [
      { id: ISSUE_TYPE.incident, name: 'Incident', description: 'An unplanned interruption or degradation of a service.', subtask: false },
      { id: ISSUE_TYPE.task, name: 'Task', description: 'A small, distinct piece of work.', subtask: false },
      { id: ISSUE_TYPE.bug, name: 'Bug', description: 'A problem or error.', subtask: false },
      { id: ISSUE_TYPE.story, name: 'Story', description: 'A user story: a feature from the user\'s point of view.', subtask: false },
      { id: ISSUE_TYPE.epic, name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false },
    ],
    resolutions: [
      { id: RESOLUTION.done, name: 'Done' },
      { id: RESOLUTION.wontDo, name: "Won't Do" },
      { id: RESOLUTION.duplicate, name: 'Duplicate' },
    ],
    issueLinkTypes: [
      { id: LINK_TYPE.blocks, name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
      { id: LINK_TYPE.duplicate, name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
      { id: LINK_TYPE.relates, name: 'Relates', inward: 'relates to', outward: 'relates to' },
      { id: LINK_TYPE.postmortem, name: 'Postmortem', inward: 'is action item of', outward: 'has action item' },
    ],
    customFields: [{ id: TEAM_FIELD, name: 'Team', schemaType: 'string' }],
    projects: [
      {
        id: PROJECT.INC,
        key: 'INC',
        name: 'Incidents',
        leadAccountId: ADMIN_ID,
        issueTypeIds: [ISSUE_TYPE.incident],
        access: { [ADMIN_ID]: 'admin', [EDITOR_ID]: 'write', [VIEWER_ID]: 'read', [NEWCOMER_ID]: 'write' },
        requiredFields: {},
      },
      {
        id: PROJECT.OPS,
        key: 'OPS',
        name: 'Operations',
        leadAccountId: ADMIN_ID,
        issueTypeIds: [ISSUE_TYPE.task, ISSUE_TYPE.bug, ISSUE_TYPE.story],
        access: { [ADMIN_ID]: 'admin', [EDITOR_ID]: 'write', [VIEWER_ID]: 'read', [NEWCOMER_ID]: 'write' },
        requiredFields: {},
      },
      {
        id: PROJECT.SEC,
        key: 'SEC',
        name: 'Security',
        leadAccountId: ADMIN_ID,
        issueTypeIds: [ISSUE_TYPE.task, ISSUE_TYPE.bug],
        // The viewer has no entry: SEC is the project they cannot see.
        access: { [ADMIN_ID]: 'admin', [EDITOR_ID]: 'write' },
        requiredFields: { [ISSUE_TYPE.bug]: [TEAM_FIELD] },
      },
    ],
    issues,
    groups: [
      { groupId: 'b5e7c1d2-0000-4000-8000-00000000e001', name: 'engineering', members: [ADMIN_ID, EDITOR_ID, VIEWER_ID, NEWCOMER_ID] },
      { groupId: 'b5e7c1d2-0000-4000-8000-00000000e002', name: 'site-admins', members: [ADMIN_ID] },
    ],
    // Saved filters, for the dashboard gadget: one shared with everyone, one only with who may browse SEC.
    filters: [
      { id: '10000', name: 'Operations work', jql: 'project = OPS', ownerAccountId: ADMIN_ID, sharePermissions: [{ type: 'global' }] },
      { id: '10001', name: 'Security work', jql: 'project = SEC', ownerAccountId: ADMIN_ID, sharePermissions: [{ type: 'project', projectId: PROJECT.SEC }] },
    ],
    // One dashboard, as every Jira site has, empty: its owner adds gadgets to it.
    dashboards: [{ id: '10000', name: 'Default dashboard', ownerAccountId: ADMIN_ID, gadgets: [] }],
    issueLinks: [{ id: '10000', typeId: LINK_TYPE.postmortem, inwardIssueId: issues[0].id, outwardIssueId: issues[5].id }],
    counters: { issueId, commentId, remoteLinkId: 10000, issueLinkId: 10000, perProject, changelogId },
  };
}
