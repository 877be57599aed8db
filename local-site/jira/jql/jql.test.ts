import type { JiraIssue, JiraState, SiteUser } from '../../state/types';
import { compileJql, JqlError, type EntityPropertyAlias, type JqlContext } from './index';
import { tokenize } from './lexer';
import { parse } from './parser';
import { evalDateFunction, parseDateLiteral } from './dates';

// ---------- fixture ----------

const ALICE = '557058:alice';
const BOB = '557058:bob';
const CAROL = '557058:carol';

const users: SiteUser[] = [
  { accountId: ALICE, displayName: 'Alice Anders', emailAddress: 'alice@example.com', timeZone: 'UTC', siteAdmin: true },
  { accountId: BOB, displayName: 'Bob Brown', emailAddress: 'bob@example.com', timeZone: 'UTC', siteAdmin: false },
  { accountId: CAROL, displayName: 'Carol Chen', emailAddress: 'carol@example.com', timeZone: 'UTC', siteAdmin: false },
];

const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let nextId = 10000;
function issue(key: string, projectId: string, over: Partial<JiraIssue>): JiraIssue {
  return {
    id: String(nextId++),
    key,
    projectId,
    issueTypeId: '1',
    statusId: '1',
    priorityId: '3',
    assigneeId: null,
    reporterId: ALICE,
    summary: key,
    description: null,
    labels: [],
    duedate: null,
    created: '2026-11-01T10:00:00.000Z',
    updated: '2026-11-01T10:00:00.000Z',
    resolutionId: null,
    resolutiondate: null,
    customFields: {},
    properties: {},
    comments: [],
    remoteLinks: [],
    ...over,
  };
}

const issues: JiraIssue[] = [
  issue('OPS-1', 'p1', {
    summary: 'Database failover failed during deploy',
    description: adf('The primary disk was full and the replica lagged.'),
    statusId: '3',
    priorityId: '1',
    assigneeId: ALICE,
    labels: ['postmortem', 'db'],
    created: '2026-11-20T00:00:00.000Z', // exactly midnight: for created = "2026-11-20"
    updated: '2026-11-20T09:00:00.000Z',
    resolutionId: 'r1',
    resolutiondate: '2026-11-20T09:00:00.000Z',
    duedate: '2026-11-19',
    customFields: { customfield_10010: 'Platform team', customfield_10011: 5, customfield_10012: { value: 'Sev1', id: '1' } },
    properties: { 'postmortem-action-item': { pageId: '111', itemId: 'a1', createdAt: '2026-11-10T08:00:00.000Z', owners: ['x', 'y'] } },
  }),
  issue('OPS-2', 'p1', {
    summary: 'Add alerting for replica lag',
    statusId: '2',
    priorityId: '2',
    assigneeId: BOB,
    labels: ['postmortem'],
    created: '2026-11-15T12:00:00.000Z',
    duedate: '2026-11-25',
    customFields: { customfield_10011: 3, customfield_10012: 'sev2' },
    properties: { 'postmortem-action-item': { pageId: '111', itemId: 'a2', createdAt: '2026-11-16' } },
    comments: [{ id: 'c1', authorId: BOB, body: adf('Running the failover drill tomorrow'), created: '', updated: '' }],
  }),
  issue('OPS-10', 'p1', {
    summary: 'Write runbook',
    priorityId: null,
    assigneeId: null,
    created: '2026-11-18T08:30:00.000Z',
    properties: { 'postmortem-action-item': { pageId: '222', itemId: 'b1' } },
  }),
  issue('WEB-1', 'p2', {
    summary: "Fix the 'login' page",
    issueTypeId: '2',
    statusId: '1',
    priorityId: '4',
    assigneeId: CAROL,
    reporterId: BOB,
    labels: ['frontend'],
    created: '2026-11-05T00:00:00.000Z',
    duedate: '2026-11-20',
  }),
  issue('SEC-1', 'p3', {
    summary: 'Rotate secrets',
    statusId: '4',
    priorityId: '1',
    created: '2026-10-01T00:00:00.000Z',
    resolutionId: 'r2',
    resolutiondate: '2026-10-02T00:00:00.000Z',
  }),
];

const state: JiraState = {
  statuses: [
    { id: '1', name: 'To Do', statusCategory: 'new' },
    { id: '2', name: 'In Progress', statusCategory: 'indeterminate' },
    { id: '3', name: 'Done', statusCategory: 'done' },
    { id: '4', name: 'Closed', statusCategory: 'done' },
  ],
  priorities: [
    { id: '1', name: 'Highest', isDefault: false },
    { id: '2', name: 'High', isDefault: false },
    { id: '3', name: 'Medium', isDefault: true },
    { id: '4', name: 'Low', isDefault: false },
  ],
  issueTypes: [
    { id: '1', name: 'Task', description: '', subtask: false },
    { id: '2', name: 'Bug', description: '', subtask: false },
  ],
  resolutions: [
    { id: 'r1', name: 'Done' },
    { id: 'r2', name: "Won't Do" },
  ],
  issueLinkTypes: [],
  customFields: [
    { id: 'customfield_10010', name: 'Team', schemaType: 'string' },
    { id: 'customfield_10011', name: 'Story Points', schemaType: 'number' },
    { id: 'customfield_10012', name: 'Severity', schemaType: 'option' },
  ],
  projects: [
    { id: 'p1', key: 'OPS', name: 'Operations', leadAccountId: ALICE, issueTypeIds: ['1', '2'], access: { [ALICE]: 'admin', [BOB]: 'write', [CAROL]: 'read' }, requiredFields: {} },
    { id: 'p2', key: 'WEB', name: 'Website', leadAccountId: ALICE, issueTypeIds: ['1', '2'], access: { [ALICE]: 'admin', [BOB]: 'write', [CAROL]: 'read' }, requiredFields: {} },
    { id: 'p3', key: 'SEC', name: 'Security', leadAccountId: ALICE, issueTypeIds: ['1'], access: { [ALICE]: 'admin' }, requiredFields: {} },
  ],
  issues,
  issueLinks: [],
  counters: { issueId: 0, commentId: 0, remoteLinkId: 0, issueLinkId: 0, perProject: {} },
};

const aliases: EntityPropertyAlias[] = [
  { alias: 'pmPageId', propertyKey: 'postmortem-action-item', path: 'pageId', type: 'string' },
  { alias: 'pmItemId', propertyKey: 'postmortem-action-item', path: 'itemId', type: 'string' },
  { alias: 'pmCreatedAt', propertyKey: 'postmortem-action-item', path: 'createdAt', type: 'date' },
  { alias: 'pmOwners', propertyKey: 'postmortem-action-item', path: 'owners', type: 'string' },
];

const NOW = new Date('2026-11-20T12:00:00.000Z');
const baseCtx: JqlContext = { state, users, now: NOW, currentUser: ALICE, aliases };

/** Keys of matching issues in ORDER BY order (default order when there is none). */
function search(jql: string, ctx: Partial<JqlContext> = {}): string[] {
  const q = compileJql(jql, { ...baseCtx, ...ctx });
  return issues.filter((i) => q.matches(i)).sort((a, b) => q.compare(a, b)).map((i) => i.key);
}
/** Same, as a sorted set, when the order does not matter. */
const keys = (jql: string, ctx: Partial<JqlContext> = {}): string[] => search(jql, ctx).sort();

function errorOf(jql: string, ctx: Partial<JqlContext> = {}): string {
  try {
    compileJql(jql, { ...baseCtx, ...ctx });
  } catch (e) {
    expect(e).toBeInstanceOf(JqlError);
    return (e as JqlError).errorMessages.join('\n');
  }
  throw new Error(`expected a JqlError for: ${jql}`);
}

// ---------- tests ----------

describe('lexer and parser', () => {
  it('tokenizes quoted strings with escapes, operators and words with brackets', () => {
    const t = tokenize(`issue.property[pm-item.v2].pageId != "a \\"b\\"" AND x~'it\\'s'`);
    expect(t.map((x) => x.type)).toEqual(['word', 'op', 'string', 'word', 'word', 'op', 'string', 'eof']);
    expect(t[0].text).toBe('issue.property[pm-item.v2].pageId');
    expect(t[2].text).toBe('a "b"');
    expect(t[6].text).toBe("it's");
  });

  it('gives NOT precedence over AND over OR', () => {
    const q = parse('a = 1 OR NOT b = 2 AND c = 3');
    expect(q.where?.kind).toBe('or');
    const or = q.where as Extract<typeof q.where, { kind: 'or' }>;
    expect(or.children[1].kind).toBe('and');
    expect((or.children[1] as { children: { kind: string }[] }).children[0].kind).toBe('not');
  });

  it('parses ORDER BY alone', () => {
    expect(parse('order by created DESC, key')).toEqual({
      where: undefined,
      orderBy: [
        { field: { name: 'created', pos: 9 }, direction: 'desc' },
        { field: { name: 'key', pos: 23 }, direction: undefined },
      ],
    });
  });
});

describe('boolean logic', () => {
  it('empty JQL matches everything', () => {
    expect(keys('')).toEqual(['OPS-1', 'OPS-10', 'OPS-2', 'SEC-1', 'WEB-1']);
    expect(keys('   ')).toHaveLength(5);
  });

  it('AND binds tighter than OR; parentheses override', () => {
    expect(keys('project = WEB OR project = OPS AND assignee = 557058:bob')).toEqual(['OPS-2', 'WEB-1']);
    expect(keys('(project = WEB OR project = OPS) AND assignee = 557058:bob')).toEqual(['OPS-2']);
  });

  it('NOT and ! negate, keywords are case-insensitive, && and || work', () => {
    expect(keys('NOT project = OPS')).toEqual(['SEC-1', 'WEB-1']);
    expect(keys('!(project = OPS or project = WEB)')).toEqual(['SEC-1']);
    expect(keys('project = ops and not status = done')).toEqual(['OPS-10', 'OPS-2']);
    expect(keys('project = OPS && (labels = db || labels = frontend)')).toEqual(['OPS-1']);
  });
});

describe('operators on system fields', () => {
  it('project by key, id or name; IN / NOT IN', () => {
    expect(keys('project = OPS')).toEqual(['OPS-1', 'OPS-10', 'OPS-2']);
    expect(keys('project = p2')).toEqual(['WEB-1']);
    expect(keys('PROJECT = "Website"')).toEqual(['WEB-1']);
    expect(keys('project in (WEB, SEC)')).toEqual(['SEC-1', 'WEB-1']);
    expect(keys('project not in (OPS)')).toEqual(['SEC-1', 'WEB-1']);
  });

  it('status by name or id, statusCategory by key, name or id', () => {
    expect(keys('status = "In Progress"')).toEqual(['OPS-2']);
    expect(keys('status = 3')).toEqual(['OPS-1']);
    expect(keys('status != Done')).toEqual(['OPS-10', 'OPS-2', 'SEC-1', 'WEB-1']);
    expect(keys('statusCategory = done')).toEqual(['OPS-1', 'SEC-1']);
    expect(keys('statusCategory = "To Do"')).toEqual(['OPS-10', 'WEB-1']);
    expect(keys('statusCategory in (4, 2)')).toEqual(['OPS-10', 'OPS-2', 'WEB-1']);
    expect(keys('statusCategory != Done')).toEqual(['OPS-10', 'OPS-2', 'WEB-1']);
  });

  it('issuetype / type by name or id', () => {
    expect(keys('issuetype = Bug')).toEqual(['WEB-1']);
    expect(keys('type in (1)')).toHaveLength(4);
  });

  it('priority by name/id, comparisons by rank, != excludes EMPTY, IS EMPTY', () => {
    expect(keys('priority = Highest')).toEqual(['OPS-1', 'SEC-1']);
    expect(keys('priority > Medium')).toEqual(['OPS-1', 'OPS-2', 'SEC-1']);
    expect(keys('priority <= Medium')).toEqual(['WEB-1']);
    expect(keys('priority != Highest')).toEqual(['OPS-2', 'WEB-1']); // OPS-10 has no priority
    expect(keys('priority is EMPTY')).toEqual(['OPS-10']);
    expect(keys('priority = EMPTY')).toEqual(['OPS-10']);
    expect(keys('priority in (Low, EMPTY)')).toEqual(['OPS-10', 'WEB-1']);
  });

  it('assignee / reporter: accountId, email, currentUser(), EMPTY; != excludes unassigned but NOT does not', () => {
    expect(keys(`assignee = "${BOB}"`)).toEqual(['OPS-2']);
    expect(keys('assignee = bob@example.com')).toEqual(['OPS-2']);
    expect(keys('assignee = currentUser()')).toEqual(['OPS-1']);
    expect(keys('assignee = currentUser()', { currentUser: undefined })).toEqual([]);
    expect(keys('assignee IS EMPTY')).toEqual(['OPS-10', 'SEC-1']);
    expect(keys('assignee IS NOT NULL')).toEqual(['OPS-1', 'OPS-2', 'WEB-1']);
    expect(keys(`assignee != ${ALICE}`)).toEqual(['OPS-2', 'WEB-1']);
    expect(keys(`NOT assignee = ${ALICE}`)).toEqual(['OPS-10', 'OPS-2', 'SEC-1', 'WEB-1']);
    expect(keys(`reporter = ${BOB}`)).toEqual(['WEB-1']);
    expect(keys(`assignee in (currentUser(), ${CAROL})`)).toEqual(['OPS-1', 'WEB-1']);
  });

  it('labels: has label, does not have it (non-empty only), EMPTY', () => {
    expect(keys('labels = postmortem')).toEqual(['OPS-1', 'OPS-2']);
    expect(keys('labels in (db, frontend)')).toEqual(['OPS-1', 'WEB-1']);
    expect(keys('labels != db')).toEqual(['OPS-2', 'WEB-1']);
    expect(keys('labels not in (db, frontend)')).toEqual(['OPS-2']);
    expect(keys('labels is empty')).toEqual(['OPS-10', 'SEC-1']);
  });

  it('resolution by name, Unresolved, EMPTY', () => {
    expect(keys('resolution = Unresolved')).toEqual(['OPS-10', 'OPS-2', 'WEB-1']);
    expect(keys('resolution is not empty')).toEqual(['OPS-1', 'SEC-1']);
    expect(keys(`resolution = "Won't Do"`)).toEqual(['SEC-1']);
    expect(keys('resolution != Unresolved')).toEqual(['OPS-1', 'SEC-1']);
  });

  it('key / issuekey / id: equality, lists, numeric comparison within a project', () => {
    expect(keys('key = ops-2')).toEqual(['OPS-2']);
    expect(keys('issuekey in (OPS-1, WEB-1)')).toEqual(['OPS-1', 'WEB-1']);
    expect(keys(`id = ${issues[2].id}`)).toEqual(['OPS-10']);
    expect(keys('key > OPS-1')).toEqual(['OPS-10', 'OPS-2']); // 10 > 1 numerically; WEB-1 not comparable
    expect(keys('key <= OPS-2')).toEqual(['OPS-1', 'OPS-2']);
    expect(keys('key > OPS-999')).toEqual([]);
    expect(keys('key != OPS-1 AND project = OPS')).toEqual(['OPS-10', 'OPS-2']);
  });
});

describe('text search (~)', () => {
  it('matches words case-insensitively with light stemming', () => {
    expect(keys('summary ~ FAILOVER')).toEqual(['OPS-1']);
    expect(keys('summary ~ "fail deploy"')).toEqual(['OPS-1']); // "failed" and "deploy", both required
    expect(keys('summary ~ "failover unicorn"')).toEqual([]);
    expect(keys('summary ~ "repl*"')).toEqual(['OPS-2']);
    expect(keys('summary ~ login')).toEqual(['WEB-1']);
  });

  it('exact phrases, !~, description, comment and text', () => {
    expect(keys('summary ~ "\\"replica lag\\""')).toEqual(['OPS-2']);
    expect(keys('summary ~ "\\"lag replica\\""')).toEqual([]);
    expect(keys('description ~ disk')).toEqual(['OPS-1']);
    expect(keys('description !~ disk')).toEqual([]); // no other issue has a description
    expect(keys('summary !~ failover')).toEqual(['OPS-10', 'OPS-2', 'SEC-1', 'WEB-1']);
    expect(keys('comment ~ drill')).toEqual(['OPS-2']);
    expect(keys('text ~ "disk"')).toEqual(['OPS-1']);
    expect(keys('text ~ drill')).toEqual(['OPS-2']);
    expect(keys('text ~ platform')).toEqual(['OPS-1']); // string custom field
    expect(keys('description is empty')).toEqual(['OPS-10', 'OPS-2', 'SEC-1', 'WEB-1']);
  });
});

describe('dates', () => {
  it('relative periods against ctx.now', () => {
    // now = 2026-11-20 12:00Z
    expect(keys('created >= -3d')).toEqual(['OPS-1', 'OPS-10']);
    expect(keys('created < -14d')).toEqual(['SEC-1', 'WEB-1']);
    expect(keys('created > "-1w 2d"')).toEqual(['OPS-1', 'OPS-10', 'OPS-2']); // after 2026-11-11 12:00
    expect(keys('created <= "-1w 2d"')).toEqual(['SEC-1', 'WEB-1']); // the sign covers both parts: not -1w +2d (= 11-15 12:00, OPS-2)
    expect(keys('created > -13h')).toEqual(['OPS-1']);
    expect(keys('created >= -720m')).toEqual(['OPS-1']);
    expect(keys('updated < 1d')).toHaveLength(5);
  });

  it('absolute dates, = on a datetime field means midnight, comparisons', () => {
    expect(keys('created = "2026-11-20"')).toEqual(['OPS-1']);
    expect(keys('created = "2026/11/15 12:00"')).toEqual(['OPS-2']);
    expect(keys('created >= 2026-11-15 AND created < "2026-11-19"')).toEqual(['OPS-10', 'OPS-2']);
    expect(keys('resolved < 2026-11-01')).toEqual(['SEC-1']);
    expect(keys('resolutiondate is empty')).toEqual(['OPS-10', 'OPS-2', 'WEB-1']);
  });

  it('date-only duedate compares by day', () => {
    expect(keys('duedate = "2026-11-20 23:30"')).toEqual(['WEB-1']);
    expect(keys('due < now()')).toEqual(['OPS-1']);
    expect(keys('duedate <= now()')).toEqual(['OPS-1', 'WEB-1']);
    expect(keys('duedate = startOfDay()')).toEqual(['WEB-1']);
    expect(keys('duedate = endOfDay(-1)')).toEqual(['OPS-1']);
    expect(keys('duedate > "2026/11/20"')).toEqual(['OPS-2']);
  });

  it('date functions and time zones', () => {
    expect(keys('created >= startOfDay()')).toEqual(['OPS-1']);
    expect(keys('created >= startOfDay("-2d")')).toEqual(['OPS-1', 'OPS-10']);
    expect(keys('created > now()')).toEqual([]);
    expect(keys('created >= startOfMonth() AND created <= endOfMonth()')).toEqual(['OPS-1', 'OPS-10', 'OPS-2', 'WEB-1']);
    // In Tokyo (UTC+9) "2026-11-20" starts at 2026-11-19T15:00Z, so OPS-1 (00:00Z) is inside that day.
    expect(keys('created >= "2026-11-20"', { timeZone: 'Asia/Tokyo' })).toEqual(['OPS-1']);
    // In Los Angeles (UTC-8) "2026-11-18 01:00" is 09:00Z: after OPS-10 (08:30Z), unlike in UTC.
    expect(keys('created >= "2026-11-18 01:00"', { timeZone: 'America/Los_Angeles' })).toEqual(['OPS-1']);
    expect(keys('created >= "2026-11-18 01:00"')).toEqual(['OPS-1', 'OPS-10']);
  });

  it('dates helpers: literals and functions', () => {
    const now = NOW.getTime();
    expect(parseDateLiteral('-1w 2d', now, 'UTC')?.ms).toBe(now - 9 * 86_400_000);
    expect(parseDateLiteral('2026-02-30', now, 'UTC')).toBeUndefined();
    expect(new Date(evalDateFunction('startOfWeek', [], now, 'UTC') as number).toISOString()).toBe('2026-11-15T00:00:00.000Z');
    expect(new Date(evalDateFunction('endOfMonth', ['-1'], now, 'UTC') as number).toISOString()).toBe('2026-10-31T23:59:59.999Z');
    expect(new Date(evalDateFunction('startOfDay', [], now, 'Europe/Berlin') as number).toISOString()).toBe('2026-11-19T23:00:00.000Z');
  });
});

describe('custom fields, properties and aliases', () => {
  it('custom fields by cf[id], customfield_id and name', () => {
    expect(keys('cf[10011] > 3')).toEqual(['OPS-1']);
    expect(keys('customfield_10011 in (3, 5)')).toEqual(['OPS-1', 'OPS-2']);
    expect(keys('"Story Points" is empty')).toEqual(['OPS-10', 'SEC-1', 'WEB-1']);
    expect(keys('Severity = SEV1')).toEqual(['OPS-1']);
    expect(keys('Severity in (sev1, sev2)')).toEqual(['OPS-1', 'OPS-2']);
    expect(keys('Team ~ platform')).toEqual(['OPS-1']);
  });

  it('issue.property[key].path and aliases', () => {
    expect(keys('issue.property[postmortem-action-item].pageId = 111')).toEqual(['OPS-1', 'OPS-2']);
    expect(keys('pmPageId = "222"')).toEqual(['OPS-10']);
    expect(keys('PMITEMID in (a1, b1)')).toEqual(['OPS-1', 'OPS-10']);
    expect(keys('pmPageId is EMPTY')).toEqual(['SEC-1', 'WEB-1']);
    expect(keys('pmPageId != 111')).toEqual(['OPS-10']);
    expect(keys('pmOwners = y')).toEqual(['OPS-1']); // arrays are indexed element by element
  });

  it('date aliases compare as dates (date-only values are midnight)', () => {
    expect(keys('pmCreatedAt > "2026-11-12"')).toEqual(['OPS-2']);
    expect(keys('pmCreatedAt < -7d')).toEqual(['OPS-1']);
    expect(keys('pmCreatedAt = "2026-11-16"')).toEqual(['OPS-2']);
    expect(keys('issue.property[postmortem-action-item].createdAt >= "2026-11-10 08:00"')).toEqual(['OPS-1', 'OPS-2']);
  });

  it('number aliases compare numerically', () => {
    const numeric: EntityPropertyAlias[] = [{ alias: 'pmPage', propertyKey: 'postmortem-action-item', path: 'pageId', type: 'number' }];
    expect(keys('pmPage > 150', { aliases: numeric })).toEqual(['OPS-10']);
    expect(keys('pmPage <= 111', { aliases: numeric })).toEqual(['OPS-1', 'OPS-2']);
    expect(search('pmPage is not empty ORDER BY pmPage DESC, key', { aliases: numeric })).toEqual(['OPS-10', 'OPS-1', 'OPS-2']);
  });

  it('properties no module indexes are never found (Jira only searches indexed properties)', () => {
    expect(keys('issue.property[postmortem-action-item].notIndexed = x')).toEqual([]);
    expect(keys('issue.property[other.key].a.b is empty')).toHaveLength(5);
  });
});

describe('ORDER BY', () => {
  it('default order is created DESC, then key DESC', () => {
    expect(search('')).toEqual(['OPS-1', 'OPS-10', 'OPS-2', 'WEB-1', 'SEC-1']);
  });

  it('key sorts by project then number', () => {
    expect(search('order by key')).toEqual(['OPS-1', 'OPS-2', 'OPS-10', 'SEC-1', 'WEB-1']);
    expect(search('project = OPS order by key desc')).toEqual(['OPS-10', 'OPS-2', 'OPS-1']);
  });

  it('priority by position: DESC is highest first; EMPTY last ascending, first descending', () => {
    expect(search('ORDER BY priority DESC, key ASC')).toEqual(['OPS-10', 'OPS-1', 'SEC-1', 'OPS-2', 'WEB-1']);
    expect(search('ORDER BY priority ASC, key ASC')).toEqual(['WEB-1', 'OPS-2', 'OPS-1', 'SEC-1', 'OPS-10']);
  });

  it('duedate and assignee with EMPTY values', () => {
    expect(search('order by duedate')).toEqual(['OPS-1', 'WEB-1', 'OPS-2', 'OPS-10', 'SEC-1']);
    expect(search('order by assignee asc')).toEqual(['OPS-1', 'OPS-2', 'WEB-1', 'OPS-10', 'SEC-1']);
    expect(search('order by assignee desc')).toEqual(['OPS-10', 'SEC-1', 'WEB-1', 'OPS-2', 'OPS-1']);
  });

  it('ties fall back to the numeric issue id, ascending', () => {
    // OPS-1 and OPS-2 share pageId 111; OPS-1 has the smaller id.
    expect(search('pmPageId is not empty order by pmPageId')).toEqual(['OPS-1', 'OPS-2', 'OPS-10']);
    expect(search('project = OPS order by status DESC')).toEqual(['OPS-1', 'OPS-2', 'OPS-10']);
    expect(search('order by labels'.replace('labels', 'summary'))).toEqual(['OPS-2', 'OPS-1', 'WEB-1', 'SEC-1', 'OPS-10']);
  });

  it('alias dates and resolutiondate', () => {
    // EMPTY first when descending (ties among them by id), then newest first.
    expect(search('order by pmCreatedAt desc')).toEqual(['OPS-10', 'WEB-1', 'SEC-1', 'OPS-2', 'OPS-1']);
    expect(search('resolution is not empty order by resolutiondate')).toEqual(['SEC-1', 'OPS-1']);
  });
});

describe('errors', () => {
  it('syntax errors', () => {
    expect(errorOf('project = OPS foo')).toBe("Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)");
    expect(errorOf('project OPS')).toMatch(/^Error in the JQL Query: Expecting operator but got 'OPS'\. The valid operators are/);
    expect(errorOf('project = ')).toBe('Error in the JQL Query: Expecting either a value, list or function before the end of the query.');
    expect(errorOf('(project = OPS')).toBe("Error in the JQL Query: Expecting ')' before the end of the query.");
    expect(errorOf('summary ~ "abc')).toBe("Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)");
    expect(errorOf('project in (OPS WEB)')).toBe("Error in the JQL Query: Expecting either ',' or ')' but got 'WEB'. (line 1, character 17)");
    expect(errorOf('order = x')).toBe("Error in the JQL Query: 'order' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 1)");
    expect(errorOf('summary ~ "a\\qb"')).toMatch(/escape sequence '\\q'/);
    expect(errorOf('project = OPS ORDER created')).toMatch(/Expecting 'by' but got 'created'/);
  });

  it('unknown fields', () => {
    expect(errorOf('foo = bar')).toBe("Field 'foo' does not exist or you do not have permission to view it.");
    expect(errorOf('cf[99999] = 1')).toBe("Field 'cf[99999]' does not exist or you do not have permission to view it.");
    expect(errorOf('ORDER BY nothing')).toBe("Field 'nothing' does not exist or you do not have permission to view it.");
    expect(errorOf('sprint in openSprints()')).toBe("Field 'sprint' is not supported by the local site's JQL engine.");
  });

  it('unknown values', () => {
    expect(errorOf('project = XYZ')).toBe("The value 'XYZ' does not exist for the field 'project'.");
    expect(errorOf('project = SEC', { currentUser: BOB })).toBe("The value 'SEC' does not exist for the field 'project'.");
    expect(keys('project = SEC', { currentUser: undefined })).toEqual(['SEC-1']); // the app sees every project
    expect(errorOf('status in (Open, Done)')).toBe("The value 'Open' does not exist for the field 'status'.");
    expect(errorOf('priority = Urgent')).toBe("The value 'Urgent' does not exist for the field 'priority'.");
    expect(errorOf('issuetype = Epic')).toBe("The value 'Epic' does not exist for the field 'issuetype'.");
    expect(errorOf('assignee = nobody')).toBe("The value 'nobody' does not exist for the field 'assignee'.");
    expect(errorOf('statusCategory = Blocked')).toBe("The value 'Blocked' does not exist for the field 'statusCategory'.");
    expect(errorOf('key = OPS-99')).toBe("An issue with key 'OPS-99' does not exist for field 'key'.");
    expect(errorOf('key = banana')).toBe("The issue key 'banana' for field 'key' is invalid.");
    expect(errorOf('created > yesterday')).toMatch(/^Date value 'yesterday' for field 'created' is invalid\. Valid formats include/);
    expect(errorOf('cf[10011] = lots')).toBe("The value 'lots' is not a valid number for the field 'cf[10011]'.");
  });

  it('unsupported operators, functions and sorts', () => {
    expect(errorOf('summary = x')).toBe("The operator '=' is not supported by the 'summary' field.");
    expect(errorOf('text != x')).toBe("The operator '!=' is not supported by the 'text' field.");
    expect(errorOf('labels > x')).toBe("The operator '>' is not supported by the 'labels' field.");
    expect(errorOf('project ~ OPS')).toBe("The operator '~' is not supported by the 'project' field.");
    expect(errorOf('status was Done')).toMatch(/The operator 'WAS' is not supported/);
    expect(errorOf('assignee = foo()')).toBe("Unable to find JQL function 'foo()'.");
    expect(errorOf('assignee in membersOf(devs)')).toBe("The JQL function 'membersOf' is not supported by the local site.");
    expect(errorOf('assignee = now()')).toBe("A value provided by the function 'now' is invalid for the field 'assignee'.");
    expect(errorOf('created > startOfDay(yesterday)')).toMatch(/does not accept the arguments/);
    expect(errorOf('status = (Done, Closed)')).toMatch(/The operator '=' does not support the list value/);
    expect(errorOf('assignee is bob')).toMatch(/only supports the EMPTY/);
    expect(errorOf('ORDER BY description')).toBe("Field 'description' does not support sorting.");
    expect(errorOf('ORDER BY key, KEY desc')).toBe("The sort field 'KEY' is referenced multiple times in the JQL sort.");
    expect(errorOf('summary ~ ""')).toBe("The field 'summary' does not support searching for an empty string.");
  });
});

// ---------- saved filters (issue 16: the dashboard gadget's scope) ----------

describe('filter = <saved filter>', () => {
  const filters: NonNullable<JiraState['filters']> = [
    { id: '20000', name: 'Ops work', jql: 'project = OPS', ownerAccountId: ALICE, sharePermissions: [{ type: 'global' }] },
    { id: '20001', name: 'Security work', jql: 'project = SEC ORDER BY key', ownerAccountId: ALICE, sharePermissions: [{ type: 'project', projectId: 'p3' }] },
    { id: '20002', name: 'Private', jql: 'project = WEB', ownerAccountId: ALICE, sharePermissions: [] },
    { id: '20003', name: 'Loop', jql: 'filter = 20003', ownerAccountId: ALICE, sharePermissions: [{ type: 'global' }] },
  ];
  const withFilters = { state: { ...state, filters } };
  const opsKeys = keys('project = OPS');

  it('matches what the filter matches, by id or name, with the rest of the query', () => {
    expect(keys('filter = 20000', withFilters)).toEqual(opsKeys);
    expect(keys('filter = "Ops work"', withFilters)).toEqual(opsKeys);
    expect(keys('savedFilter in (20000, 20001)', withFilters)).toEqual(keys('project in (OPS, SEC)'));
    expect(keys('filter != 20000 AND project = SEC', withFilters)).toEqual(keys('project = SEC'));
    expect(keys('filter = 20000 AND key = OPS-2', withFilters)).toEqual(['OPS-2']);
  });

  it('is visible to its owner and to whom its shares reach; any other filter does not exist', () => {
    expect(keys('filter = 20002', withFilters)).toEqual(keys('project = WEB')); // Alice owns it
    expect(errorOf('filter = 20002', { ...withFilters, currentUser: BOB })).toBe("The value '20002' does not exist for the field 'filter'.");
    expect(errorOf('filter = 20001', { ...withFilters, currentUser: CAROL })).toBe("The value '20001' does not exist for the field 'filter'.");
    expect(keys('filter = 20000', { ...withFilters, currentUser: CAROL })).toEqual(opsKeys);
  });

  it('refuses a filter that refers to itself, and values it cannot take', () => {
    expect(errorOf('filter = 20003', withFilters)).toBe("The saved filter 'Loop' refers to itself.");
    expect(errorOf('filter ~ 20000', withFilters)).toBe("The operator '~' is not supported by the 'filter' field.");
    expect(errorOf('filter = EMPTY', withFilters)).toBe("The field 'filter' only accepts a saved filter's id or name.");
  });
});
