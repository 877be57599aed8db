import { chunk, findTeamField, issueDraft, issuesForItemsJql, itemsToCreate, jqlString, teamFieldValue, teamLabel } from './action-item-issue';
import { newPostmortem } from './postmortem-defaults';
import type { ActionItem } from '../contract/postmortem';

const item = (over: Partial<ActionItem>): ActionItem => ({ id: 'a1', title: 'Alert on p99', description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'accepted', ...over });

describe('action item → Jira issue', () => {
  const pm = { ...newPostmortem({ title: 'Checkout latency', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task', incidentKey: 'INC-1' }), actionItems: [] };
  const ctx = { pageId: '100', localId: 'L1', pageUrl: 'https://x/wiki/pages/100', projectKey: 'OPS', issueType: 'Task', priorityByImpact: { high: 'High', medium: 'Medium', low: 'Low' }, now: '2026-11-20T10:00:00.000Z' };

  it('maps owner, impact, due date and carries the searchable property', () => {
    const d = issueDraft(item({ owner: { kind: 'user', id: 'acc-1', displayName: 'Eden' }, dueDate: '2026-12-01' }), pm, ctx, { type: 'doc' });
    expect(d.fields).toMatchObject({ project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Alert on p99', priority: { name: 'High' }, assignee: { accountId: 'acc-1' }, duedate: '2026-12-01', labels: ['postmortem', 'postmortem-action-item'] });
    expect(d.update).toBeUndefined();
    expect(issueDraft(item({}), pm, { ...ctx, linkToIncident: 'INC-1' }, null).update).toEqual({ issuelinks: [{ add: { type: { name: 'Relates' }, inwardIssue: { key: 'INC-1' } } }] });
    expect(d.properties[0]).toEqual({ key: 'postmortem-action-item', value: { itemId: '100/L1/a1', pageId: '100', localId: 'L1', postmortemTitle: 'Checkout latency', pageUrl: 'https://x/wiki/pages/100', incidentKey: 'INC-1', createdAt: ctx.now, impactPriority: 'High' } });
  });

  it('puts a team owner into a label and leaves the assignee empty', () => {
    const d = issueDraft(item({ owner: { kind: 'team', id: 'Payments Platform', displayName: 'Payments Platform' }, impact: 'low' }), pm, ctx, null);
    expect(d.fields.assignee).toBeUndefined();
    expect(d.fields.labels).toContain('team-payments-platform');
    expect(d.fields.priority).toEqual({ name: 'Low' });
    expect(teamLabel('  ')).toBe('team-unnamed');
  });

  it('builds JQL that user text cannot break out of', () => {
    expect(jqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(issuesForItemsJql(['1/L/x', '1/L/" OR project = SEC'])).toBe('pmItemId in ("1/L/x", "1/L/\\" OR project = SEC")');
  });

  it('acts on accepted items without an issue, optionally only the named ones, in chunks of 50', () => {
    const list = [item({ id: 'a' }), item({ id: 'b', state: 'proposed' }), item({ id: 'c', issue: { key: 'OPS-1', id: '1' } }), item({ id: 'd' })];
    expect(itemsToCreate({ ...pm, actionItems: list }).map((i) => i.id)).toEqual(['a', 'd']);
    expect(itemsToCreate({ ...pm, actionItems: list }, ['d', 'b']).map((i) => i.id)).toEqual(['d']);
    expect(chunk(Array.from({ length: 120 }, (_, i) => i), 50).map((c) => c.length)).toEqual([50, 50, 20]);
  });
});

describe("the project's Team field", () => {
  const team = (id: string): ActionItem => ({ id: 'i', title: 't', description: '', owner: { kind: 'team', id, displayName: id }, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' });
  const fields = [
    { fieldId: 'summary', name: 'Summary', schema: { type: 'string' } },
    { fieldId: 'customfield_10050', name: 'Team', schema: { type: 'string' } },
  ];

  it('is found by name on the create screen when it takes text or one option', () => {
    expect(findTeamField(fields)).toEqual({ id: 'customfield_10050', kind: 'text' });
    expect(findTeamField([{ fieldId: 'customfield_1', name: ' team ', schema: { type: 'option' }, allowedValues: [{ value: 'Payments' }, { value: 'SRE' }] }])).toEqual({ id: 'customfield_1', kind: 'option', options: ['Payments', 'SRE'] });
    // An Atlassian Teams field needs a team id, a user field an account: neither takes a name.
    expect(findTeamField([{ fieldId: 'customfield_2', name: 'Team', schema: { type: 'team' } }])).toBeUndefined();
    expect(findTeamField([{ fieldId: 'team', name: 'Team', schema: { type: 'string' } }])).toBeUndefined();
  });

  it('takes a team owner; an option must match one the field offers', () => {
    expect(teamFieldValue(team(' Payments '), { id: 'customfield_10050', kind: 'text' })).toEqual({ id: 'customfield_10050', value: 'Payments' });
    expect(teamFieldValue(team('sre'), { id: 'customfield_1', kind: 'option', options: ['Payments', 'SRE'] })).toEqual({ id: 'customfield_1', value: { value: 'SRE' } });
    expect(teamFieldValue(team('Growth'), { id: 'customfield_1', kind: 'option', options: ['Payments', 'SRE'] })).toBeUndefined();
    expect(teamFieldValue({ ...team('x'), owner: { kind: 'user', id: 'a', displayName: 'A' } }, { id: 'customfield_10050', kind: 'text' })).toBeUndefined();
    expect(teamFieldValue(team('SRE'), undefined)).toBeUndefined();
  });
});
