import { EDITOR_ID, VIEWER_ID } from '../state/users';
import { adf, ISSUE_TYPE, STATUS, TEAM_FIELD } from './seed';
import { TEST_NOW, as, testSite } from './testing';
import type { TestSite } from './testing';

type Body = Record<string, any>;  

const task = (project: string, summary: string, extra: Body = {}) => ({
  fields: { project: { key: project }, issuetype: { name: 'Task' }, summary, ...extra },
});


describe('Jira REST v3: creating issues', () => {
  it('creates an issue as the editor, who becomes the reporter', async () => {
    const site = testSite();
    const res = await site.call(as.editor, 'POST', '/issue', task('OPS', 'Rotate the pinned certificate', {
      description: adf('Before it expires.'),
      assignee: { accountId: EDITOR_ID },
      priority: { name: 'High' },
      labels: ['postmortem-action'],
      duedate: '2026-12-01',
      [TEAM_FIELD]: 'Payments',
    }));
    expect(res.status).toBe(201);
    const body = res.body as Body;
    expect(Object.keys(body).sort()).toEqual(['id', 'key', 'self']);
    expect(body.key).toBe('OPS-3');
    const issue = site.state.jira.issues.find((i) => i.key === 'OPS-3');
    expect(issue).toMatchObject({ reporterId: EDITOR_ID, assigneeId: EDITOR_ID, priorityId: '2', labels: ['postmortem-action'], statusId: STATUS.todo });
    expect(issue?.created).toBe(TEST_NOW.toISOString());
    expect(site.events).toEqual([{ type: 'created', issue }]);
  });

  it('answers a project the caller cannot see exactly like a missing one', async () => {
    const site = testSite();
    const hidden = await site.call(as.viewer, 'POST', '/issue', task('SEC', 'Peek'));
    const missing = await site.call(as.viewer, 'POST', '/issue', task('NOPE', 'Peek'));
    expect(hidden).toEqual(missing);
    expect(hidden).toEqual({ status: 400, body: { errorMessages: [], errors: { project: 'Specify a valid project ID or key' } } });
  });

  it('forbids creating in a project the caller can only read', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'POST', '/issue', task('OPS', 'Nope'));
    expect(res.status).toBe(403);
    expect((res.body as Body).errorMessages).toEqual(['You do not have permission to create issues in this project.']);
  });

  it('reports missing required fields, bad assignees and priorities per field', async () => {
    const site = testSite();
    const res = await site.call(as.editor, 'POST', '/issue', {
      fields: { project: { key: 'SEC' }, issuetype: { id: ISSUE_TYPE.bug }, summary: 'XSS in settings page', assignee: { accountId: VIEWER_ID }, priority: { name: 'Urgent' } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errorMessages: [],
      errors: {
        [TEAM_FIELD]: 'Team is required.',
        assignee: `User '${VIEWER_ID}' cannot be assigned issues.`,
        priority: "Specify a valid 'id' or 'name' for Priority",
      },
    });
    const ok = await site.call(as.editor, 'POST', '/issue', {
      fields: { project: { key: 'SEC' }, issuetype: { id: ISSUE_TYPE.bug }, summary: 'XSS in settings page', [TEAM_FIELD]: 'AppSec' },
    });
    expect(ok.status).toBe(201);
  });

  it('rejects a summary-less issue, a wrong issue type and a non-ADF description', async () => {
    const site = testSite();
    const res = await site.call(as.editor, 'POST', '/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Incident' }, description: 'plain text' } });
    expect(res.status).toBe(400);
    expect(Object.keys((res.body as Body).errors).sort()).toEqual(['description', 'issuetype', 'summary']);
  });

  it('stores properties and links given on create', async () => {
    const site = testSite();
    const res = await site.call(as.app, 'POST', '/issue', {
      ...task('OPS', 'Action item'),
      properties: [{ key: 'postmortem-action-item', value: { pageId: '42', itemId: 'a1' } }],
      update: { issuelinks: [{ add: { type: { name: 'Postmortem' }, inwardIssue: { key: 'INC-2' } } }] },
    });
    expect(res.status).toBe(201);
    const key = (res.body as Body).key as string;
    const prop = await site.call(as.viewer, 'GET', `/issue/${key}/properties/postmortem-action-item`);
    expect(prop).toEqual({ status: 200, body: { key: 'postmortem-action-item', value: { pageId: '42', itemId: 'a1' } } });
    const inc = await site.call(as.viewer, 'GET', '/issue/INC-2', undefined, { fields: 'issuelinks' });
    const links = (inc.body as Body).fields.issuelinks as Body[];
    expect(links).toHaveLength(1);
    expect(links[0].type.outward).toBe('has action item');
    expect(links[0].outwardIssue.key).toBe(key);
    // The app is the reporter.
    const issue = await site.call(as.app, 'GET', `/issue/${key}`, undefined, { fields: 'reporter' });
    expect((issue.body as Body).fields.reporter.accountType).toBe('app');
  });
});

describe('Jira REST v3: bulk create', () => {
  it('creates the valid items and reports the failed one by its index', async () => {
    const site = testSite();
    const res = await site.call(as.editor, 'POST', '/issue/bulk', {
      issueUpdates: [task('OPS', 'First'), task('OPS', ''), task('OPS', 'Third')],
    });
    expect(res.status).toBe(201);
    const body = res.body as Body;
    expect(body.issues.map((i: Body) => i.key)).toEqual(['OPS-3', 'OPS-4']);
    expect(body.errors).toEqual([
      { status: 400, elementErrors: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } }, failedElementNumber: 1 },
    ]);
  });

  it('answers 400 with the same shape when every item fails', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'POST', '/issue/bulk', { issueUpdates: [task('OPS', 'A'), task('SEC', 'B')] });
    expect(res.status).toBe(400);
    const body = res.body as Body;
    expect(body.issues).toEqual([]);
    expect(body.errors.map((e: Body) => [e.status, e.failedElementNumber])).toEqual([[403, 0], [400, 1]]);
  });

  it('refuses more than 50 issues', async () => {
    const site = testSite();
    const before = site.state.jira.issues.length;
    const res = await site.call(as.editor, 'POST', '/issue/bulk', { issueUpdates: Array.from({ length: 51 }, (_, i) => task('OPS', `Item ${i}`)) });
    expect(res.status).toBe(400);
    expect((res.body as Body).issues).toEqual([]);
    expect(site.state.jira.issues).toHaveLength(before);
  });
});

describe('Jira REST v3: reading issues', () => {
  it('renders fields the way Jira does', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'GET', '/issue/INC-1');
    expect(res.status).toBe(200);
    const body = res.body as Body;
    expect(body).toMatchObject({ id: '10001', key: 'INC-1', self: 'https://local-site.atlassian.net/rest/api/3/issue/10001' });
    const f = body.fields;
    expect(f.status).toMatchObject({ id: STATUS.done, name: 'Done', statusCategory: { id: 3, key: 'done', name: 'Done', colorName: 'green' } });
    expect(f.priority).toMatchObject({ id: '1', name: 'Highest' });
    expect(f.assignee).toMatchObject({ accountId: EDITOR_ID, displayName: 'Eden Editor', active: true, accountType: 'atlassian' });
    expect(f.assignee.emailAddress).toBeUndefined();
    expect(f.assignee.avatarUrls['48x48']).toEqual(expect.any(String));
    expect(f.project).toMatchObject({ id: '10000', key: 'INC', name: 'Incidents' });
    expect(f.issuetype).toMatchObject({ name: 'Incident', subtask: false });
    expect(f.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(f.resolutiondate).toMatch(/\+0000$/);
    expect(f.resolution).toMatchObject({ name: 'Done' });
    expect(f.description).toMatchObject({ type: 'doc', version: 1 });
    expect(f.comment).toMatchObject({ total: 2, startAt: 0 });
    expect(f[TEAM_FIELD]).toBe('Payments');
    expect(f.issuelinks[0]).toMatchObject({ type: { name: 'Postmortem' }, outwardIssue: { key: 'OPS-1', fields: { summary: expect.any(String) } } });
    expect(body.properties).toBeUndefined();
  });

  it('filters fields and includes requested properties', async () => {
    const site = testSite();
    await site.call(as.editor, 'PUT', '/issue/OPS-1/properties/a', { x: 1 });
    await site.call(as.editor, 'PUT', '/issue/OPS-1/properties/b', { y: 2 });
    const res = await site.call(as.viewer, 'GET', '/issue/OPS-1', undefined, { fields: 'summary,status', properties: 'a', expand: 'names,bogus' });
    const body = res.body as Body;
    expect(Object.keys(body.fields).sort()).toEqual(['status', 'summary']);
    expect(body.properties).toEqual({ a: { x: 1 } });
    expect(body.names).toEqual({ summary: 'Summary', status: 'Status' });
    const navigable = await site.call(as.viewer, 'GET', '/issue/OPS-1', undefined, { fields: '*navigable,-description' });
    const keys = Object.keys((navigable.body as Body).fields);
    expect(keys).toContain('summary');
    expect(keys).not.toContain('comment');
    expect(keys).not.toContain('description');
  });

  it('hides issues of projects the caller cannot browse', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'GET', '/issue/SEC-1');
    expect(res).toEqual({ status: 404, body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} } });
    expect((await site.call(as.editor, 'GET', '/issue/SEC-1')).status).toBe(200);
    expect((await site.call(as.viewer, 'GET', '/issue/NOPE-9')).status).toBe(404);
  });
});

describe('Jira REST v3: editing and transitions', () => {
  it('edits fields and labels, bumping updated', async () => {
    const later = new Date(TEST_NOW.getTime() + 60_000);
    const site = testSite(undefined, later);
    const res = await site.call(as.editor, 'PUT', '/issue/OPS-1', {
      fields: { summary: 'Automate cert pin updates' },
      update: { labels: [{ add: 'automation' }, { remove: 'postmortem-action' }] },
    });
    expect(res).toEqual({ status: 204 });
    const issue = site.state.jira.issues.find((i) => i.key === 'OPS-1');
    expect(issue).toMatchObject({ summary: 'Automate cert pin updates', labels: ['automation'], updated: later.toISOString() });
    expect(site.events.map((e) => e.type)).toEqual(['updated']);
  });

  it('forbids edits by a reader', async () => {
    const site = testSite();
    expect((await site.call(as.viewer, 'PUT', '/issue/OPS-1', { fields: { summary: 'x' } })).status).toBe(403);
    expect((await site.call(as.viewer, 'PUT', '/issue/SEC-1', { fields: { summary: 'x' } })).status).toBe(404);
  });

  it('transitions to Done with a resolution and resolution date', async () => {
    const site = testSite();
    const list = await site.call(as.editor, 'GET', '/issue/INC-5/transitions');
    const done = ((list.body as Body).transitions as Body[]).find((t) => t.name === 'Done');
    expect(done).toMatchObject({ id: STATUS.done, to: { statusCategory: { key: 'done' } } });
    const res = await site.call(as.editor, 'POST', '/issue/INC-5/transitions', { transition: { id: done?.id } });
    expect(res).toEqual({ status: 204 });
    const issue = (await site.call(as.editor, 'GET', '/issue/INC-5')).body as Body;
    expect(issue.fields.status.statusCategory.key).toBe('done');
    expect(issue.fields.resolution.name).toBe('Done');
    expect(issue.fields.resolutiondate).toBe('2026-11-20T14:03:11.123+0000');
    expect(site.events.map((e) => e.type)).toEqual(['transitioned']);
    // Reopening clears the resolution.
    await site.call(as.editor, 'POST', '/issue/INC-5/transitions', { transition: { id: STATUS.inProgress } });
    expect(site.state.jira.issues.find((i) => i.key === 'INC-5')).toMatchObject({ resolutionId: null, resolutiondate: null });
  });

  it("picks the Won't Do resolution for the Won't Do status and refuses readers", async () => {
    const site = testSite();
    expect((await site.call(as.viewer, 'GET', '/issue/INC-5/transitions')).body).toEqual({ expand: 'transitions', transitions: [] });
    expect((await site.call(as.viewer, 'POST', '/issue/INC-5/transitions', { transition: { id: STATUS.wontDo } })).status).toBe(400);
    await site.call(as.editor, 'POST', '/issue/INC-5/transitions', { transition: { id: STATUS.wontDo } });
    const issue = (await site.call(as.editor, 'GET', '/issue/INC-5', undefined, { fields: 'resolution' })).body as Body;
    expect(issue.fields.resolution.name).toBe("Won't Do");
  });
});

describe('Jira REST v3: comments', () => {
  it('adds an ADF comment (201) and bumps updated; a viewer may comment', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'POST', '/issue/INC-5/comment', { body: adf('Seeing this too.') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ author: { accountId: VIEWER_ID }, body: adf('Seeing this too.'), created: '2026-11-20T14:03:11.123+0000' });
    expect(site.state.jira.issues.find((i) => i.key === 'INC-5')?.updated).toBe(TEST_NOW.toISOString());
    const page = (await site.call(as.viewer, 'GET', '/issue/INC-5/comment')).body as Body;
    expect(page).toMatchObject({ startAt: 0, total: 2 });
    expect(page.comments).toHaveLength(2);
    expect(site.events.map((e) => e.type)).toEqual(['commented']);
  });

  it('rejects a body that is not an ADF document', async () => {
    const site = testSite();
    for (const body of [{ body: 'plain' }, { body: { type: 'doc', content: [] } }, {}]) {
      const res = await site.call(as.editor, 'POST', '/issue/INC-5/comment', body);
      expect(res.status).toBe(400);
      expect((res.body as Body).errors.comment).toEqual(expect.any(String));
    }
  });

  it('lets only the author (or an admin) edit and delete', async () => {
    const site = testSite();
    const id = ((await site.call(as.viewer, 'POST', '/issue/INC-5/comment', { body: adf('typo') })).body as Body).id as string;
    expect((await site.call(as.editor, 'PUT', `/issue/INC-5/comment/${id}`, { body: adf('x') })).status).toBe(400);
    const edited = await site.call(as.viewer, 'PUT', `/issue/INC-5/comment/${id}`, { body: adf('fixed') });
    expect(edited.status).toBe(200);
    expect((edited.body as Body).body).toEqual(adf('fixed'));
    expect((await site.call(as.admin, 'DELETE', `/issue/INC-5/comment/${id}`)).status).toBe(204);
    expect((await site.call(as.viewer, 'GET', `/issue/INC-5/comment/${id}`)).status).toBe(404);
  });
});

describe('Jira REST v3: links and properties', () => {
  it('upserts a remote link by globalId', async () => {
    const site = testSite();
    const link = (title: string) => ({ globalId: 'confluence-page-42', application: { name: 'Confluence', type: 'com.atlassian.confluence' }, relationship: 'postmortem', object: { url: 'https://x/wiki/42', title } });
    const first = await site.call(as.editor, 'POST', '/issue/INC-1/remotelink', link('Postmortem'));
    expect(first.status).toBe(201);
    const second = await site.call(as.editor, 'POST', '/issue/INC-1/remotelink', link('Postmortem (v2)'));
    expect(second.status).toBe(200);
    expect((second.body as Body).id).toBe((first.body as Body).id);
    const all = (await site.call(as.viewer, 'GET', '/issue/INC-1/remotelink')).body as Body[];
    expect(all).toHaveLength(1);
    expect(all[0].object.title).toBe('Postmortem (v2)');
    const one = await site.call(as.viewer, 'GET', '/issue/INC-1/remotelink', undefined, { globalId: 'confluence-page-42' });
    expect((one.body as Body).id).toBe((first.body as Body).id);
    expect((await site.call(as.viewer, 'POST', '/issue/INC-1/remotelink', link('x'))).status).toBe(403);
    expect((await site.call(as.editor, 'POST', '/issue/INC-1/remotelink', { object: { url: 'u' } })).status).toBe(400);
    expect((await site.call(as.editor, 'DELETE', `/issue/INC-1/remotelink/${(first.body as Body).id}`)).status).toBe(204);
    expect((await site.call(as.viewer, 'GET', '/issue/INC-1/remotelink')).body).toEqual([]);
  });

  it('creates issue links once and deletes them', async () => {
    const site = testSite();
    const body = { type: { name: 'Blocks' }, inwardIssue: { key: 'OPS-2' }, outwardIssue: { key: 'INC-5' } };
    expect(await site.call(as.editor, 'POST', '/issueLink', body)).toEqual({ status: 201 });
    expect(await site.call(as.editor, 'POST', '/issueLink', body)).toEqual({ status: 201 });
    const links = site.state.jira.issueLinks.filter((l) => l.typeId === '10000');
    expect(links).toHaveLength(1);
    const got = await site.call(as.viewer, 'GET', `/issueLink/${links[0].id}`);
    expect(got.body).toMatchObject({ type: { name: 'Blocks' }, inwardIssue: { key: 'OPS-2' }, outwardIssue: { key: 'INC-5' } });
    expect((await site.call(as.viewer, 'POST', '/issueLink', { ...body, inwardIssue: { key: 'SEC-1' } })).status).toBe(404);
    expect((await site.call(as.editor, 'DELETE', `/issueLink/${links[0].id}`)).status).toBe(204);
    expect((await site.call(as.editor, 'GET', `/issueLink/${links[0].id}`)).status).toBe(404);
  });

  it('creates a property (201), updates it (200), lists and deletes it', async () => {
    const site = testSite();
    expect((await site.call(as.editor, 'PUT', '/issue/OPS-1/properties/pm', { itemId: 'a' })).status).toBe(201);
    expect((await site.call(as.editor, 'PUT', '/issue/OPS-1/properties/pm', { itemId: 'b' })).status).toBe(200);
    expect((await site.call(as.viewer, 'GET', '/issue/OPS-1/properties/pm')).body).toEqual({ key: 'pm', value: { itemId: 'b' } });
    expect((await site.call(as.viewer, 'GET', '/issue/OPS-1/properties')).body).toEqual({
      keys: [{ key: 'pm', self: 'https://local-site.atlassian.net/rest/api/3/issue/10006/properties/pm' }],
    });
    expect((await site.call(as.viewer, 'PUT', '/issue/OPS-1/properties/pm', 1)).status).toBe(403);
    expect((await site.call(as.editor, 'PUT', '/issue/OPS-1/properties/big', 'x'.repeat(40000))).status).toBe(400);
    expect((await site.call(as.editor, 'DELETE', '/issue/OPS-1/properties/pm')).status).toBe(204);
    expect((await site.call(as.editor, 'GET', '/issue/OPS-1/properties/pm')).status).toBe(404);
  });

  it('bulk sets a property asynchronously (303 to a task), all or none of the listed issues', async () => {
    const site = testSite();
    const ids = ['OPS-1', 'OPS-2'].map((k) => site.state.jira.issues.find((i) => i.key === k)!.id);
    const prop = (key: string) => site.state.jira.issues.find((i) => i.key === key)!.properties.day;
    const res = await site.call(as.editor, 'PUT', '/issue/properties/day', { value: { at: '2026-11-02' }, filter: { entityIds: ids.map(Number) } });
    expect(res).toMatchObject({ status: 303, headers: { location: expect.stringMatching(/\/rest\/api\/3\/task\/\d+$/) } });
    expect(prop('OPS-1')).toBeUndefined(); // not within the request
    await site.call(as.viewer, 'GET', '/myself'); // done before the next request is served
    expect([prop('OPS-1'), prop('OPS-2')]).toEqual([{ at: '2026-11-02' }, { at: '2026-11-02' }]);

    // One listed issue the caller may not edit (the viewer edits nothing): nothing is set.
    await site.call(as.viewer, 'PUT', '/issue/properties/day', { value: { at: '2026-11-03' }, filter: { entityIds: ids.map(Number) } });
    await site.call(as.viewer, 'GET', '/myself');
    expect(prop('OPS-1')).toEqual({ at: '2026-11-02' });
    expect((await site.call(as.editor, 'PUT', '/issue/properties/day', { filter: { entityIds: [1] } })).status).toBe(400);
  });
});

describe('Jira REST v3: search', () => {
  async function with120(): Promise<TestSite> {
    const site = testSite();
    for (let batch = 0; batch < 3; batch++) {
      const res = await site.call(as.editor, 'POST', '/issue/bulk', {
        issueUpdates: Array.from({ length: 40 }, (_, i) => task('OPS', `Generated ${batch * 40 + i}`)),
      });
      expect(res.status).toBe(201);
    }
    return site;
  }

  it('pages with nextPageToken until isLast', async () => {
    const site = await with120();
    const jql = 'project = OPS AND summary ~ Generated';
    const seen: string[] = [];
    const pages: Body[] = [];
    let token: string | undefined;
    do {
      const res = await site.call(as.viewer, 'POST', '/search/jql', { jql, maxResults: 50, fields: ['summary'], nextPageToken: token });
      expect(res.status).toBe(200);
      const body = res.body as Body;
      pages.push(body);
      seen.push(...body.issues.map((i: Body) => i.key));
      token = body.nextPageToken;
    } while (token);
    // 122 OPS issues: the 2 seeded plus 120 generated (the stub ignores the summary clause).
    expect(pages.map((p) => [p.issues.length, p.isLast])).toEqual([[50, false], [50, false], [22, true]]);
    expect(pages[2].nextPageToken).toBeUndefined();
    expect(pages[0]).not.toHaveProperty('total');
    expect(new Set(seen).size).toBe(122);
    expect(pages[0].issues[0].fields).toEqual({ summary: expect.any(String) });
  });

  it('rejects a token issued for another query, and bad JQL', async () => {
    const site = await with120();
    const first = (await site.call(as.editor, 'GET', '/search/jql', undefined, { jql: 'project = OPS', maxResults: '50' })).body as Body;
    expect(first.nextPageToken).toEqual(expect.any(String));
    const other = await site.call(as.editor, 'GET', '/search/jql', undefined, { jql: 'project = INC', nextPageToken: first.nextPageToken });
    expect(other.status).toBe(400);
    expect((await site.call(as.editor, 'POST', '/search/jql', { jql: 'project = OPS', nextPageToken: 'garbage' })).status).toBe(400);
    const bad = await site.call(as.editor, 'POST', '/search/jql', { jql: 'project = !!' });
    expect(bad).toEqual({ status: 400, body: { errorMessages: [expect.stringContaining('reserved')], errors: {} } });
  });

  it('returns ids only by default, caps full pages at 100, and hides unbrowsable issues', async () => {
    const site = await with120();
    const ids = (await site.call(as.viewer, 'POST', '/search/jql', { jql: 'created >= -365d', maxResults: 1000 })).body as Body;
    expect(ids.isLast).toBe(true);
    expect(ids.issues.some((i: Body) => i.key.startsWith('SEC-'))).toBe(false);
    expect(ids.issues[0].fields).toEqual({});
    const full = (await site.call(as.viewer, 'POST', '/search/jql', { jql: 'created >= -365d', maxResults: 1000, fields: ['*all'] })).body as Body;
    expect(full.issues).toHaveLength(100);
    const count = await site.call(as.viewer, 'POST', '/search/approximate-count', { jql: 'project = SEC' });
    expect(count.body).toEqual({ count: 0 });
  });

  it('reports JQL errors through /jql/parse', async () => {
    const site = testSite();
    const res = await site.call(as.editor, 'POST', '/jql/parse', { queries: ['project = OPS', 'project = !!'] }, { validation: 'strict' });
    expect(res.status).toBe(200);
    expect((res.body as Body).queries).toEqual([{ query: 'project = OPS' }, { query: 'project = !!', errors: [expect.any(String)] }]);
  });
});

describe('Jira REST v3: users, projects and metadata', () => {
  it('answers /myself for users and the app', async () => {
    const site = testSite();
    expect((await site.call(as.viewer, 'GET', '/myself')).body).toMatchObject({ accountId: VIEWER_ID, displayName: 'Vic Viewer', timeZone: 'Asia/Tokyo' });
    expect((await site.call(as.app, 'GET', '/myself')).body).toMatchObject({ accountType: 'app' });
  });

  it('lists only assignable users (write access) for a project', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'GET', '/user/assignable/search', undefined, { project: 'OPS', query: '' });
    expect((res.body as Body[]).map((u) => u.displayName)).toEqual(['Avery Admin', 'Eden Editor', 'Nia Newcomer']);
    expect((await site.call(as.viewer, 'GET', '/user/assignable/search', undefined, { project: 'SEC' })).status).toBe(404);
    const bulk = (await site.call(as.viewer, 'GET', '/user/bulk', undefined, { accountId: [EDITOR_ID, VIEWER_ID, 'nobody'] })).body as Body;
    expect(bulk).toMatchObject({ total: 2, isLast: true });
  });

  it('pages browsable projects only', async () => {
    const site = testSite();
    const viewer = (await site.call(as.viewer, 'GET', '/project/search')).body as Body;
    expect(viewer).toMatchObject({ startAt: 0, maxResults: 50, total: 2, isLast: true });
    expect(viewer.values.map((p: Body) => p.key)).toEqual(['INC', 'OPS']);
    const page = (await site.call(as.admin, 'GET', '/project/search', undefined, { maxResults: '2' })).body as Body;
    expect(page).toMatchObject({ total: 3, isLast: false });
    expect((await site.call(as.viewer, 'GET', '/project/SEC')).status).toBe(404);
    const ops = (await site.call(as.viewer, 'GET', '/project/OPS')).body as Body;
    expect(ops.issueTypes.map((t: Body) => t.name)).toEqual(['Task', 'Bug', 'Story']);
  });

  it('reports permissions per project', async () => {
    const site = testSite();
    const res = await site.call(as.viewer, 'GET', '/mypermissions', undefined, { permissions: 'BROWSE_PROJECTS,CREATE_ISSUES,ADD_COMMENTS,ADMINISTER', projectKey: 'OPS' });
    const p = (res.body as Body).permissions;
    expect([p.BROWSE_PROJECTS.havePermission, p.CREATE_ISSUES.havePermission, p.ADD_COMMENTS.havePermission, p.ADMINISTER.havePermission]).toEqual([true, false, true, false]);
    expect((await site.call(as.viewer, 'GET', '/mypermissions', undefined, { permissions: 'BROWSE_PROJECTS', projectKey: 'SEC' })).status).toBe(404);
  });

  it('describes create metadata with required fields', async () => {
    const site = testSite();
    const types = (await site.call(as.editor, 'GET', '/issue/createmeta/SEC/issuetypes')).body as Body;
    expect(types.issueTypes.map((t: Body) => t.name)).toEqual(['Task', 'Bug']);
    const fields = (await site.call(as.editor, 'GET', `/issue/createmeta/SEC/issuetypes/${ISSUE_TYPE.bug}`)).body as Body;
    const team = fields.fields.find((f: Body) => f.fieldId === TEAM_FIELD);
    expect(team).toMatchObject({ required: true, name: 'Team', schema: { type: 'string' } });
    const taskFields = (await site.call(as.editor, 'GET', `/issue/createmeta/SEC/issuetypes/${ISSUE_TYPE.task}`)).body as Body;
    expect(taskFields.fields.find((f: Body) => f.fieldId === TEAM_FIELD).required).toBe(false);
  });

  it('serves the catalogues', async () => {
    const site = testSite();
    expect(((await site.call(as.viewer, 'GET', '/status')).body as Body[]).map((s) => s.name)).toEqual(['To Do', 'In Progress', 'In Review', 'Done', "Won't Do"]);
    expect(((await site.call(as.viewer, 'GET', '/priority')).body as Body[]).find((p) => p.isDefault)?.name).toBe('Medium');
    expect(((await site.call(as.viewer, 'GET', '/issueLinkType')).body as Body).issueLinkTypes).toHaveLength(4);
    expect(((await site.call(as.viewer, 'GET', '/field')).body as Body[]).find((f) => f.id === TEAM_FIELD)).toMatchObject({ custom: true, name: 'Team' });
  });

  it('seeds resolved incidents in the past and one open one', async () => {
    const site = testSite();
    const inc = site.state.jira.issues.filter((i) => i.key.startsWith('INC-'));
    expect(inc.filter((i) => i.resolutiondate)).toHaveLength(4);
    for (const i of inc) expect(new Date(i.created).getTime()).toBeLessThan(TEST_NOW.getTime());
    expect(site.state.jira.projects.find((p) => p.key === 'SEC')?.access[VIEWER_ID]).toBeUndefined();
  });
});

describe('Jira REST v3: the changelog', () => {
  it('records status, resolution, priority and assignee changes, by whom and when, and pages them', async () => {
    const site = testSite();
    const before = (await site.call(as.editor, 'GET', '/issue/INC-5/changelog')).body as Body;
    expect(before).toMatchObject({ startAt: 0, maxResults: 100, isLast: true });
    const seeded = before.total as number;
    expect((await site.call(as.editor, 'PUT', '/issue/INC-5', { fields: { priority: { name: 'Highest' }, summary: 'Uploads time out' } })).status).toBe(204);
    expect((await site.call(as.editor, 'PUT', '/issue/INC-5/assignee', { accountId: VIEWER_ID })).status).toBe(400); // not assignable: nothing recorded
    expect((await site.call(as.editor, 'PUT', '/issue/INC-5/assignee', { accountId: null })).status).toBe(204);
    expect((await site.call(as.editor, 'POST', '/issue/INC-5/transitions', { transition: { id: STATUS.done } })).status).toBe(204);
    const after = (await site.call(as.viewer, 'GET', '/issue/INC-5/changelog', undefined, { startAt: String(seeded) })).body as Body;
    expect(after).toMatchObject({ startAt: seeded, total: seeded + 3, isLast: true });
    expect(after.values.map((v: Body) => v.items.map((i: Body) => `${i.field}:${i.fromString ?? ''}>${Object.hasOwn(i, 'toString') ? i.toString : ''}`))).toEqual([
      ['priority:High>Highest'],
      ['assignee:Eden Editor>'],
      ['status:In Progress>Done', 'resolution:>Done'],
    ]);
    expect(after.values[0]).toMatchObject({ author: { accountId: EDITOR_ID }, created: TEST_NOW.toISOString().replace('Z', '+0000') });

    // Paging: at most 100 a page (asking for more gets 100), nextPage until isLast.
    const issue = site.state.jira.issues.find((i) => i.key === 'INC-5')!;
    for (let n = 0; n < 130; n += 1) issue.changelog!.push({ id: String(90000 + n), authorId: EDITOR_ID, created: TEST_NOW.toISOString(), items: [{ field: 'priority', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }] });
    const first = (await site.call(as.editor, 'GET', '/issue/INC-5/changelog', undefined, { maxResults: '500' })).body as Body;
    expect(first).toMatchObject({ startAt: 0, maxResults: 100, isLast: false });
    expect(first.values).toHaveLength(100);
    expect(first.nextPage).toContain('startAt=100');
    const second = (await site.call(as.editor, 'GET', '/issue/INC-5/changelog', undefined, { startAt: '100' })).body as Body;
    expect(second).toMatchObject({ startAt: 100, isLast: true, total: seeded + 133 });
    expect(second.values).toHaveLength(seeded + 33);
    expect(second.nextPage).toBeUndefined();
  });

  it('answers 404 to someone who may not browse the issue', async () => {
    const site = testSite();
    expect((await site.call(as.viewer, 'GET', '/issue/SEC-1/changelog')).status).toBe(404);
  });
});
