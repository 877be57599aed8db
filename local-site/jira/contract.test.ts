/**
 * Every request/response of a tour through the local Jira, checked against Atlassian's OpenAPI
 * document with the site's contract checker (local-site/openapi).
 */
import { OpenApiContract } from '../openapi';
import type { Actor } from '../http/types';
import { EDITOR_ID } from '../state/users';
import { ISSUE_TYPE, TEAM_FIELD, adf } from './seed';
import { as, testSite } from './testing';

type Body = Record<string, any>;  

describe('Jira REST v3 responses conform to the OpenAPI document', () => {
  it('passes the contract checker on every call of a tour', async () => {
    const contract = OpenApiContract.load();
    const site = testSite();
    const problems: string[] = [];
    const call = async (actor: Actor, method: string, path: string, body?: unknown, query: Record<string, string | string[]> = {}) => {
      const res = await site.call(actor, method, path, body, query);
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
      const full = `/rest/api/3${path}${qs.toString() ? `?${qs}` : ''}`;
      const req = contract.validateRequest('jira', method, full, body).issues;
      const resp = contract.validateResponse('jira', method, full, res.status, res.body);
      for (const i of [...req, ...resp]) problems.push(`${method} ${full} → ${res.status}: [${i.where}] ${i.message}`);
      return res;
    };

    await call(as.viewer, 'GET', '/myself');
    await call(as.app, 'GET', '/myself');
    await call(as.viewer, 'GET', '/user', undefined, { accountId: EDITOR_ID });
    await call(as.viewer, 'GET', '/user/search', undefined, { query: 'ed' });
    await call(as.viewer, 'GET', '/user/bulk', undefined, { accountId: [EDITOR_ID] });
    await call(as.viewer, 'GET', '/user/assignable/search', undefined, { project: 'OPS', query: 'a' });
    await call(as.viewer, 'GET', '/project/search', undefined, { expand: 'issueTypes,lead,description' });
    await call(as.viewer, 'GET', '/project/OPS');
    await call(as.viewer, 'GET', '/project/SEC');
    for (const p of ['/issuetype', '/priority', '/priority/search', '/status', '/resolution', '/issueLinkType', '/field', '/serverInfo']) {
      await call(as.viewer, 'GET', p);
    }
    await call(as.viewer, 'GET', '/mypermissions', undefined, { permissions: 'BROWSE_PROJECTS,CREATE_ISSUES,ADMINISTER', projectKey: 'OPS' });
    await call(as.editor, 'GET', '/issue/createmeta/SEC/issuetypes');
    await call(as.editor, 'GET', `/issue/createmeta/SEC/issuetypes/${ISSUE_TYPE.bug}`);

    const created = await call(as.editor, 'POST', '/issue', {
      fields: { project: { key: 'SEC' }, issuetype: { id: ISSUE_TYPE.bug }, summary: 'Bug', description: adf('d'), [TEAM_FIELD]: 'AppSec', labels: ['a'] },
      update: { issuelinks: [{ add: { type: { name: 'Relates' }, outwardIssue: { key: 'OPS-1' } } }] },
    });
    expect(created.status).toBe(201);
    await call(as.editor, 'POST', '/issue', { fields: { project: { key: 'SEC' }, issuetype: { id: ISSUE_TYPE.bug }, summary: 'Bug' } });
    await call(as.viewer, 'POST', '/issue', { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'x' } });
    await call(as.editor, 'POST', '/issue/bulk', {
      issueUpdates: [
        { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'one' } },
        { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' } } },
      ],
    });
    await call(as.editor, 'POST', '/issue/bulk', { issueUpdates: [{ fields: {} }] });

    await call(as.viewer, 'GET', '/issue/INC-1', undefined, { expand: 'names,schema,transitions,changelog' });
    await call(as.viewer, 'GET', '/issue/SEC-1');
    await call(as.editor, 'PUT', '/issue/OPS-1', { fields: { summary: 'new' }, update: { labels: [{ add: 'x' }] } });
    await call(as.editor, 'PUT', '/issue/OPS-1', { fields: { summary: 'newer' } }, { returnIssue: 'true' });
    await call(as.editor, 'PUT', '/issue/OPS-1/assignee', { accountId: EDITOR_ID });
    await call(as.editor, 'GET', '/issue/INC-5/transitions');
    await call(as.editor, 'POST', '/issue/INC-5/transitions', { transition: { id: '10003' } });
    await call(as.editor, 'PUT', '/issue/INC-5', { fields: { priority: { name: 'Highest' }, assignee: null } });
    await call(as.editor, 'GET', '/issue/INC-5/changelog');
    await call(as.viewer, 'GET', '/issue/INC-1/changelog', undefined, { startAt: '1', maxResults: '2' });
    await call(as.viewer, 'GET', '/issue/SEC-1/changelog');

    const comment = (await call(as.editor, 'POST', '/issue/INC-5/comment', { body: adf('hi') })).body as Body;
    await call(as.editor, 'POST', '/issue/INC-5/comment', { body: 'nope' });
    await call(as.editor, 'GET', '/issue/INC-5/comment');
    await call(as.editor, 'GET', '/issue/INC-1/comment', undefined, { startAt: '1', maxResults: '1', orderBy: 'created' });
    await call(as.editor, 'GET', `/issue/INC-5/comment/${comment.id}`);
    await call(as.editor, 'PUT', `/issue/INC-5/comment/${comment.id}`, { body: adf('edited') });
    await call(as.editor, 'DELETE', `/issue/INC-5/comment/${comment.id}`);

    const link = { globalId: 'g1', application: { name: 'Confluence' }, object: { url: 'https://x', title: 'PM' } };
    const rl = (await call(as.editor, 'POST', '/issue/INC-1/remotelink', link)).body as Body;
    await call(as.editor, 'POST', '/issue/INC-1/remotelink', link);
    await call(as.editor, 'GET', '/issue/INC-1/remotelink', undefined, { globalId: 'g1' });
    await call(as.editor, 'GET', `/issue/INC-1/remotelink/${rl.id}`);
    await call(as.editor, 'DELETE', `/issue/INC-1/remotelink/${rl.id}`);

    await call(as.editor, 'POST', '/issueLink', { type: { name: 'Blocks' }, inwardIssue: { key: 'OPS-2' }, outwardIssue: { key: 'INC-5' } });
    await call(as.editor, 'GET', '/issueLink/10000');
    await call(as.editor, 'DELETE', '/issueLink/10000');

    await call(as.editor, 'PUT', '/issue/OPS-1/properties/pm', { a: 1 });
    await call(as.editor, 'PUT', '/issue/OPS-1/properties/pm', { a: 2 });
    await call(as.editor, 'GET', '/issue/OPS-1/properties');
    await call(as.editor, 'GET', '/issue/OPS-1/properties/pm');
    await call(as.editor, 'DELETE', '/issue/OPS-1/properties/pm');

    const page = (await call(as.editor, 'POST', '/search/jql', { jql: 'project = OPS', maxResults: 2, fields: ['*all'], properties: ['pm'], expand: 'names' })).body as Body;
    await call(as.editor, 'POST', '/search/jql', { jql: 'project = OPS', maxResults: 2, nextPageToken: page.nextPageToken });
    await call(as.editor, 'GET', '/search/jql', undefined, { jql: 'project = OPS', fields: 'summary,status', maxResults: '1' });
    await call(as.editor, 'POST', '/search/jql', { jql: 'project = !!' });
    await call(as.editor, 'POST', '/search/approximate-count', { jql: 'project = OPS' });
    await call(as.editor, 'POST', '/jql/parse', { queries: ['project = OPS', 'project = !!'] }, { validation: 'strict' });

    expect(problems).toEqual([]);
  });
});
