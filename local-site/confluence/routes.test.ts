import { Router } from '../http/router';
import type { Actor, SiteResponse } from '../http/types';
import type { SiteState } from '../state/types';
import { ADMIN_ID, EDITOR_ID, seedUsers, VIEWER_ID } from '../state/users';
import { confluenceRoutes } from './routes';
import { CATALOGUE_PAGE_ID, ENG_HOME_ID, ENG_SPACE_ID, ONCALL_PAGE_ID, SECOPS_RUNBOOK_ID, SECOPS_SPACE_ID, seedConfluence } from './seed';

const now = new Date('2025-03-10T09:00:00.000Z');
let state: SiteState;
const router = new Router(confluenceRoutes());

beforeEach(() => {
  state = {
    schemaVersion: 1,
    clockOffsetMs: 0,
    users: seedUsers(),
    jira: {} as SiteState['jira'],
    confluence: seedConfluence(now),
    platform: { kvs: { values: {}, secrets: {}, entities: {} }, consentedUsers: [], queue: [], lastTriggerRun: {}, outbox: [] },
  };
});

const as = (accountId: string): Actor => ({ kind: 'user', accountId });
const admin = as(ADMIN_ID);
const editor = as(EDITOR_ID);
const viewer = as(VIEWER_ID);
const app: Actor = { kind: 'app' };

async function call(actor: Actor, method: string, url: string, body?: unknown): Promise<SiteResponse & { body: any }> {
  const [path, qs] = url.split('?');
  const res = await router.handle({ method, path, query: new URLSearchParams(qs ?? ''), headers: {}, body, actor }, state, () => now);
  if (!res) throw new Error(`no route for ${method} ${url}`);
  return res as SiteResponse & { body: any };
}

const adf = (text: string): string => JSON.stringify({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const newPage = (title: string, spaceId = ENG_SPACE_ID): unknown => ({
  spaceId,
  status: 'current',
  title,
  body: { representation: 'atlas_doc_format', value: adf(`About ${title}`) },
});

describe('spaces', () => {
  it('lists only the spaces the caller can view', async () => {
    const asViewer = await call(viewer, 'GET', '/wiki/api/v2/spaces');
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.results.map((s: { key: string }) => s.key)).toEqual(['ENG']);
    expect(asViewer.body._links.next).toBeUndefined();
    const asEditor = await call(editor, 'GET', '/wiki/api/v2/spaces');
    expect(asEditor.body.results.map((s: { key: string }) => s.key)).toEqual(['ENG', 'SECOPS']);
    expect(asEditor.body.results[0]).toMatchObject({ id: ENG_SPACE_ID, key: 'ENG', name: 'Engineering', type: 'global', status: 'current', homepageId: ENG_HOME_ID, _links: { webui: '/spaces/ENG' } });
  });

  it('filters by keys and ids and hides invisible spaces by id', async () => {
    expect((await call(editor, 'GET', '/wiki/api/v2/spaces?keys=SECOPS')).body.results).toHaveLength(1);
    expect((await call(editor, 'GET', `/wiki/api/v2/spaces?ids=${ENG_SPACE_ID},${SECOPS_SPACE_ID}`)).body.results).toHaveLength(2);
    expect((await call(viewer, 'GET', '/wiki/api/v2/spaces?keys=SECOPS')).body.results).toHaveLength(0);
    expect((await call(viewer, 'GET', `/wiki/api/v2/spaces/${SECOPS_SPACE_ID}`)).status).toBe(404);
    expect((await call(viewer, 'GET', `/wiki/api/v2/spaces/${ENG_SPACE_ID}`)).status).toBe(200);
    expect((await call(viewer, 'GET', '/wiki/api/v2/spaces?ids=abc')).status).toBe(400);
  });
});

describe('pages', () => {
  it('creates a page as an editor (200 per the spec) with the home page as default parent', async () => {
    const res = await call(editor, 'POST', '/wiki/api/v2/pages?private=true', newPage('Postmortem: checkout outage'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'current',
      title: 'Postmortem: checkout outage',
      spaceId: ENG_SPACE_ID,
      parentId: ENG_HOME_ID,
      authorId: EDITOR_ID,
      version: { number: 1, createdAt: now.toISOString(), authorId: EDITOR_ID },
      _links: { webui: `/spaces/ENG/pages/${res.body.id}/Postmortem%3A+checkout+outage`, editui: `/pages/resumedraft.action?draftId=${res.body.id}` },
    });
    expect(JSON.parse(res.body.body.atlas_doc_format.value).content[0].content[0].text).toBe('About Postmortem: checkout outage');
    const got = await call(viewer, 'GET', `/wiki/api/v2/pages/${res.body.id}?body-format=atlas_doc_format`);
    expect(got.status).toBe(200);
    expect(got.body.body.atlas_doc_format.representation).toBe('atlas_doc_format');
  });

  it('refuses a viewer (404: the spec lists missing create permission under 404) and a duplicate title (400)', async () => {
    const denied = await call(viewer, 'POST', '/wiki/api/v2/pages', newPage('Viewer page'));
    expect(denied.status).toBe(404);
    expect(denied.body.errors[0].status).toBe(404);
    const dup = await call(editor, 'POST', '/wiki/api/v2/pages', newPage('on-call HANDBOOK'));
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0].title).toMatch(/already exists/);
    // the same title in another space is fine
    expect((await call(editor, 'POST', '/wiki/api/v2/pages', newPage('On-call handbook', SECOPS_SPACE_ID))).status).toBe(200);
  });

  it('rejects a body that is not ADF', async () => {
    const res = await call(editor, 'POST', '/wiki/api/v2/pages', { spaceId: ENG_SPACE_ID, title: 'X', body: { representation: 'atlas_doc_format', value: '{nope' } });
    expect(res.status).toBe(400);
  });

  it('updates with the next version and answers 409 to a stale one', async () => {
    const current = (await call(editor, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`)).body;
    expect(current.version.number).toBe(3);
    const update = (n: number, title = 'On-call handbook'): unknown => ({
      id: ONCALL_PAGE_ID,
      status: 'current',
      title,
      body: { representation: 'atlas_doc_format', value: adf('v' + n) },
      version: { number: n, message: 'edit' },
    });
    const okRes = await call(editor, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`, update(4));
    expect(okRes.status).toBe(200);
    expect(okRes.body.version).toMatchObject({ number: 4, message: 'edit', authorId: EDITOR_ID });
    const stale = await call(admin, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`, update(4));
    expect(stale.status).toBe(409);
    expect(stale.body.errors[0].title).toMatch(/Version must be incremented/);
    expect((await call(editor, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`, update(5, 'Service catalogue'))).status).toBe(400);
    expect((await call(viewer, 'PUT', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}`, update(5))).status).toBe(404);
  });

  it('hides pages in spaces the caller cannot view', async () => {
    expect((await call(viewer, 'GET', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`)).status).toBe(404);
    expect((await call(editor, 'GET', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`)).status).toBe(200);
    expect((await call(viewer, 'GET', `/wiki/api/v2/pages?space-id=${SECOPS_SPACE_ID}`)).body.results).toHaveLength(0);
    expect((await call(viewer, 'GET', `/wiki/api/v2/spaces/${SECOPS_SPACE_ID}/pages`)).status).toBe(404);
  });

  it('honours page edit restrictions: space write is not enough (403), space admins pass', async () => {
    const body = (n: number): unknown => ({ id: SECOPS_RUNBOOK_ID, status: 'current', title: 'Credential leak response', body: { representation: 'atlas_doc_format', value: adf('x') }, version: { number: n } });
    expect((await call(editor, 'PUT', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`, body(2))).status).toBe(403);
    expect((await call(admin, 'PUT', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`, body(2))).status).toBe(200);
    expect((await call(app, 'PUT', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}`, body(3))).status).toBe(200);
  });

  it('deletes to the trash, frees the title and restores with PUT', async () => {
    expect((await call(editor, 'DELETE', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}`)).status).toBe(204);
    expect((await call(editor, 'GET', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}`)).status).toBe(404);
    expect((await call(editor, 'GET', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}?status=trashed`)).body.status).toBe('trashed');
    expect((await call(editor, 'GET', '/wiki/api/v2/pages?status=trashed')).body.results.map((p: { id: string }) => p.id)).toEqual([CATALOGUE_PAGE_ID]);
    const restored = await call(editor, 'PUT', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}`, { id: CATALOGUE_PAGE_ID, status: 'current', title: 'Service catalogue', body: { representation: 'atlas_doc_format', value: adf('ignored') }, version: { number: 2 } });
    expect(restored.status).toBe(200);
    expect(restored.body.status).toBe('current');
  });

  it('serves include-* blocks and other body formats', async () => {
    const res = await call(viewer, 'GET', `/wiki/api/v2/pages/${ONCALL_PAGE_ID}?include-labels=true&include-properties=true&include-version=false&body-format=storage`);
    expect(res.status).toBe(200);
    expect(res.body.version).toBeUndefined();
    expect(res.body.labels.results.map((l: { name: string }) => l.name)).toEqual(['on-call', 'runbook']);
    expect(res.body.properties.results).toEqual([]);
    expect(res.body.body.storage.value).toContain('<h1>On-call handbook</h1>');
  });

  it('pages with cursors: 30 pages at limit 10 are 3 responses', async () => {
    for (let i = 1; i <= 30; i++) {
      expect((await call(editor, 'POST', '/wiki/api/v2/pages', newPage(`Bulk page ${i}`, SECOPS_SPACE_ID))).status).toBe(200);
    }
    // SECOPS already holds 2 seeded pages: filter on title prefix by listing the space and dropping them.
    state.confluence.pages = state.confluence.pages.filter((p) => p.spaceId !== SECOPS_SPACE_ID || p.title.startsWith('Bulk'));
    let url: string | undefined = `/wiki/api/v2/pages?space-id=${SECOPS_SPACE_ID}&limit=10`;
    const seen: string[] = [];
    let responses = 0;
    while (url) {
      const res = await call(editor, 'GET', url);
      expect(res.status).toBe(200);
      responses++;
      seen.push(...res.body.results.map((p: { title: string }) => p.title));
      url = res.body._links.next;
      if (url) {
        expect(url.startsWith('/wiki/api/v2/pages?')).toBe(true);
        expect(res.headers?.Link).toBe(`<${url}>; rel="next"`);
      }
    }
    expect(responses).toBe(3);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it('caps limit at 250 and rejects nonsense', async () => {
    expect((await call(editor, 'GET', '/wiki/api/v2/pages?limit=0')).status).toBe(400);
    expect((await call(editor, 'GET', '/wiki/api/v2/pages?cursor=garbage')).status).toBe(400);
    expect((await call(editor, 'GET', '/wiki/api/v2/pages?limit=1000')).status).toBe(200);
  });
});

describe('page properties', () => {
  const base = `/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties`;

  it('creates, reads and updates with optimistic versions', async () => {
    const created = await call(editor, 'POST', base, { key: 'pft.actions', value: { items: ['a'] } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ key: 'pft.actions', value: { items: ['a'] }, version: { number: 1, createdAt: now.toISOString(), message: '', minorEdit: false, authorId: EDITOR_ID } });
    const id: string = created.body.id;

    const read = await call(editor, 'GET', `${base}/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.value).toEqual({ items: ['a'] });
    expect((await call(editor, 'GET', `${base}?key=pft.actions`)).body.results).toHaveLength(1);
    expect((await call(editor, 'GET', `${base}?key=other`)).body.results).toHaveLength(0);

    const updated = await call(editor, 'PUT', `${base}/${id}`, { key: 'pft.actions', value: { items: ['a', 'b'] }, version: { number: 2 } });
    expect(updated.status).toBe(200);
    expect(updated.body.version.number).toBe(2);

    const stale = await call(admin, 'PUT', `${base}/${id}`, { key: 'pft.actions', value: { items: ['lost'] }, version: { number: 2 } });
    expect(stale.status).toBe(409);
    expect((await call(editor, 'GET', `${base}/${id}`)).body).toMatchObject({ value: { items: ['a', 'b'] }, version: { number: 2 } });
  });

  it('lets a viewer read but not write (403), and hides other spaces (404)', async () => {
    const id: string = (await call(editor, 'POST', base, { key: 'k', value: 1 })).body.id;
    expect((await call(viewer, 'GET', `${base}/${id}`)).status).toBe(200);
    expect((await call(viewer, 'PUT', `${base}/${id}`, { key: 'k', value: 2, version: { number: 2 } })).status).toBe(403);
    expect((await call(viewer, 'POST', base, { key: 'k2', value: 2 })).status).toBe(403);
    expect((await call(viewer, 'DELETE', `${base}/${id}`)).status).toBe(403);
    expect((await call(viewer, 'GET', `/wiki/api/v2/pages/${SECOPS_RUNBOOK_ID}/properties`)).status).toBe(404);
    expect((await call(editor, 'GET', `${base}/${id}`)).body.value).toBe(1);
  });

  it('answers 400 to an existing key and to an oversize value; deletes with 204', async () => {
    const id: string = (await call(app, 'POST', base, { key: 'k', value: 'x' })).body.id;
    expect((await call(app, 'POST', base, { key: 'k', value: 'y' })).status).toBe(400);
    expect((await call(app, 'POST', base, { key: 'big', value: 'x'.repeat(33 * 1024) })).status).toBe(400);
    expect((await call(app, 'PUT', `${base}/${id}`, { key: 'k', value: 'x'.repeat(33 * 1024), version: { number: 2 } })).status).toBe(400);
    expect((await call(app, 'DELETE', `${base}/${id}`)).status).toBe(204);
    expect((await call(app, 'GET', `${base}/${id}`)).status).toBe(404);
  });
});

describe('labels', () => {
  const v1 = `/wiki/rest/api/content/${CATALOGUE_PAGE_ID}/label`;

  it('adds labels once, lowercased, and lists them in v1 and v2', async () => {
    const first = await call(editor, 'POST', v1, [{ prefix: 'global', name: 'Postmortem' }]);
    expect(first.status).toBe(200);
    const again = await call(editor, 'POST', v1, { prefix: 'global', name: 'postmortem' });
    expect(again.status).toBe(200);
    expect(again.body.results.filter((l: { name: string }) => l.name === 'postmortem')).toHaveLength(1);
    expect(again.body).toMatchObject({ start: 0, limit: 200, size: 2 });
    expect(again.body.results[1]).toEqual({ prefix: 'global', name: 'postmortem', id: expect.any(String), label: 'postmortem' });

    const listed = await call(viewer, 'GET', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}/labels`);
    expect(listed.body.results.map((l: { name: string }) => l.name)).toEqual(['services', 'postmortem']);
    expect((await call(viewer, 'GET', v1)).body.size).toBe(2);
  });

  it('reuses a label id across pages, rejects spaces, and removes by path or query', async () => {
    const onOncall = (await call(editor, 'POST', `/wiki/rest/api/content/${ONCALL_PAGE_ID}/label`, [{ prefix: 'global', name: 'services' }])).body;
    const seeded = state.confluence.pages.find((p) => p.id === CATALOGUE_PAGE_ID)!.labels[0];
    expect(onOncall.results.find((l: { name: string }) => l.name === 'services').id).toBe(seeded.id);
    expect((await call(editor, 'POST', v1, [{ prefix: 'global', name: 'two words' }])).status).toBe(400);
    expect((await call(viewer, 'POST', v1, [{ prefix: 'global', name: 'x' }])).status).toBe(403);
    expect((await call(editor, 'DELETE', `${v1}/services`)).status).toBe(204);
    await call(editor, 'POST', v1, [{ prefix: 'global', name: 'a' }]);
    expect((await call(editor, 'DELETE', `${v1}?name=a`)).status).toBe(204);
    expect((await call(editor, 'GET', v1)).body.results).toEqual([]);
    expect((await call(viewer, 'GET', `/wiki/rest/api/content/${SECOPS_RUNBOOK_ID}/label`)).status).toBe(404);
  });
});

describe('v1 user and permission check', () => {
  const check = (actor: Actor, accountId: string, operation: string, id = ONCALL_PAGE_ID): Promise<SiteResponse & { body: any }> =>
    call(actor, 'POST', `/wiki/rest/api/content/${id}/permission/check`, { subject: { type: 'user', identifier: accountId }, operation });

  it('says the editor may update and the viewer may only read', async () => {
    expect((await check(editor, EDITOR_ID, 'update')).body).toEqual({ hasPermission: true, errors: [] });
    const viewerUpdate = await check(viewer, VIEWER_ID, 'update');
    expect(viewerUpdate.status).toBe(200);
    expect(viewerUpdate.body.hasPermission).toBe(false);
    expect(viewerUpdate.body.errors[0]).toEqual({ translation: expect.any(String), args: [] });
    expect((await check(viewer, VIEWER_ID, 'read')).body.hasPermission).toBe(true);
  });

  it('applies space access and page restrictions, lets the app and admins check others, refuses others', async () => {
    expect((await check(app, VIEWER_ID, 'read', SECOPS_RUNBOOK_ID)).body.hasPermission).toBe(false);
    expect((await check(app, EDITOR_ID, 'update', SECOPS_RUNBOOK_ID)).body.hasPermission).toBe(false);
    expect((await check(admin, ADMIN_ID, 'update', SECOPS_RUNBOOK_ID)).body.hasPermission).toBe(true);
    expect((await check(admin, EDITOR_ID, 'update')).body.hasPermission).toBe(true);
    expect((await check(viewer, EDITOR_ID, 'update')).status).toBe(403);
    expect((await check(app, EDITOR_ID, 'fly')).status).toBe(400);
    expect((await check(app, EDITOR_ID, 'read', '999999')).status).toBe(404);
  });

  it('returns the current user', async () => {
    const me = await call(editor, 'GET', '/wiki/rest/api/user/current');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ type: 'known', accountId: EDITOR_ID, displayName: 'Eden Editor', accountType: 'atlassian' });
    expect((await call(app, 'GET', '/wiki/rest/api/user/current')).body.accountType).toBe('app');
  });
});
