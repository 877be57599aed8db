/**
 * Replays a tour of the local Confluence through the OpenAPI contract (Atlassian's real v1/v2 specs):
 * every request and response must conform, except for the status codes Confluence really sends but
 * the v2 spec does not declare (403 when the caller can view but not edit, 409 on version conflicts).
 */
import { OpenApiContract } from '../openapi';
import { Router } from '../http/router';
import type { Actor, SiteResponse } from '../http/types';
import type { SiteState } from '../state/types';
import { EDITOR_ID, seedUsers, VIEWER_ID } from '../state/users';
import { confluenceRoutes } from './routes';
import { CATALOGUE_PAGE_ID, ENG_SPACE_ID, ONCALL_PAGE_ID, SECOPS_RUNBOOK_ID, seedConfluence } from './seed';

const contract = OpenApiContract.load();
const router = new Router(confluenceRoutes());
const now = new Date('2025-03-10T09:00:00.000Z');


it('every request and response of a full tour matches the Atlassian specs', async () => {
  const state: SiteState = {
    schemaVersion: 1,
    clockOffsetMs: 0,
    users: seedUsers(),
    jira: {} as SiteState['jira'],
    confluence: seedConfluence(now),
    platform: { kvs: { values: {}, secrets: {}, entities: {} }, consentedUsers: [], queue: [], lastTriggerRun: {}, outbox: [] },
  };
  const problems: string[] = [];
  const statuses = new Set<string>();
  const editor: Actor = { kind: 'user', accountId: EDITOR_ID };
  const viewer: Actor = { kind: 'user', accountId: VIEWER_ID };
  const app: Actor = { kind: 'app' };

  async function call(actor: Actor, method: string, url: string, body?: unknown): Promise<SiteResponse & { body: any }> {
    const req = contract.validateRequest('confluence', method, url, body);
    for (const i of req.issues) problems.push(`request ${method} ${url}: ${i.where}: ${i.message}`);
    const [path, qs] = url.split('?');
    const res = (await router.handle({ method, path, query: new URLSearchParams(qs ?? ''), headers: {}, body, actor }, state, () => now))!;
    const issues = contract.validateResponse('confluence', method, url, res.status, res.body);
    statuses.add(`${method} ${req.operation?.specPath} ${res.status}`);
    for (const i of issues) problems.push(`response ${method} ${url} → ${res.status}: ${i.message}`);
    return res as SiteResponse & { body: any };
  }

  const adf = JSON.stringify({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] });
  await call(editor, 'GET', '/wiki/api/v2/spaces?limit=1');
  await call(editor, 'GET', `/wiki/api/v2/spaces/${ENG_SPACE_ID}`);
  await call(editor, 'GET', `/wiki/api/v2/spaces/${ENG_SPACE_ID}/pages?body-format=atlas_doc_format&limit=2`);
  await call(editor, 'GET', `/wiki/api/v2/pages?space-id=${ENG_SPACE_ID}&body-format=storage`);
  await call(editor, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}?body-format=atlas_doc_format&include-labels=true&include-properties=true&include-versions=true&include-operations=true`);
  await call(editor, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}?body-format=view&get-draft=true`);
  const created = await call(editor, 'POST', '/wiki/api/v2/pages', { spaceId: ENG_SPACE_ID, status: 'current', title: 'New', body: { representation: 'atlas_doc_format', value: adf } });
  await call(editor, 'PUT', `/wiki/api/v2/pages/${created.body.id}`, { id: created.body.id, status: 'current', title: 'New 2', body: { representation: 'atlas_doc_format', value: adf }, version: { number: 2 } });
  await call(editor, 'PUT', `/wiki/api/v2/pages/${created.body.id}`, { id: created.body.id, status: 'current', title: 'New 3', body: { representation: 'atlas_doc_format', value: adf }, version: { number: 2 } });
  await call(editor, 'POST', '/wiki/api/v2/pages', { spaceId: ENG_SPACE_ID, title: 'New 2', body: { atlas_doc_format: { representation: 'atlas_doc_format', value: adf } } });
  await call(viewer, 'POST', '/wiki/api/v2/pages', { spaceId: ENG_SPACE_ID, title: 'Nope' });
  await call(editor, 'DELETE', `/wiki/api/v2/pages/${created.body.id}`);
  await call(viewer, 'GET', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`);
  await call(editor, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/labels`);

  const prop = await call(app, 'POST', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties`, { key: 'pft', value: { a: 1 } });
  await call(app, 'POST', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties`, { key: 'pft', value: { a: 1 } });
  await call(viewer, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties?key=pft`);
  await call(viewer, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${prop.body.id}`);
  await call(app, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${prop.body.id}`, { key: 'pft', value: { a: 2 }, version: { number: 2 } });
  await call(app, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${prop.body.id}`, { key: 'pft', value: { a: 3 }, version: { number: 2 } });
  await call(viewer, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${prop.body.id}`, { key: 'pft', value: { a: 3 }, version: { number: 3 } });
  await call(viewer, 'POST', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties`, { key: 'other', value: 1 });
  await call(app, 'DELETE', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${prop.body.id}`);

  await call(editor, 'POST', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label`, [{ prefix: 'global', name: 'postmortem' }]);
  await call(editor, 'POST', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label`, { prefix: 'global', name: 'postmortem' });
  await call(viewer, 'POST', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label`, [{ prefix: 'global', name: 'x' }]);
  await call(editor, 'GET', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label`);
  await call(editor, 'DELETE', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label/postmortem`);
  await call(editor, 'DELETE', `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label?name=services`);
  await call(editor, 'GET', '/wiki/rest/api/user/current');
  await call(app, 'GET', '/wiki/rest/api/user/current');
  await call(editor, 'POST', `/wiki/rest/api/content/${ONCALL_PAGE_ID}/permission/check`, { subject: { type: 'user', identifier: EDITOR_ID }, operation: 'update' });
  await call(viewer, 'POST', `/wiki/rest/api/content/${ONCALL_PAGE_ID}/permission/check`, { subject: { type: 'user', identifier: VIEWER_ID }, operation: 'update' });
  await call(viewer, 'POST', `/wiki/rest/api/content/${ONCALL_PAGE_ID}/permission/check`, { subject: { type: 'user', identifier: EDITOR_ID }, operation: 'update' });

  expect(problems).toEqual([]);
  // The tour really exercised the statuses the spec leaves undeclared.
  expect([...statuses]).toEqual(expect.arrayContaining([
    'POST /pages/{page-id}/properties 403',
    'PUT /pages/{id} 409',
    'PUT /pages/{page-id}/properties/{property-id} 403',
    'PUT /pages/{page-id}/properties/{property-id} 409',
  ]));
});
