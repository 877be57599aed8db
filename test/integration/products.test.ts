/**
 * The local site's Jira and Confluence as the app sees them: the unmodified @forge/api SDK, asUser and
 * asApp, permissions, optimistic concurrency, paging, fault injection and the OpenAPI contract check.
 */
import api, { route } from '@forge/api';
import { useLocalSite } from './support/site';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { sendJson, AtlassianError } from '../../src/atlassian/request';

const site = useLocalSite();
const asUser = <T>(accountId: string, work: () => Promise<T>) => site().asInvocation(accountId, work);

describe('Jira search', () => {
  it('pages through /search/jql with nextPageToken until isLast', async () => {
    const s = site();
    const expected = s.state.jira.issues.length;
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await api.asApp().requestJira(route`/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jql: 'created >= -365d ORDER BY key ASC', maxResults: 3, fields: ['summary'], ...(token ? { nextPageToken: token } : {}) }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { issues: { key: string }[]; nextPageToken?: string; isLast: boolean };
      keys.push(...body.issues.map((i) => i.key));
      token = body.isLast ? undefined : body.nextPageToken;
      pages += 1;
    } while (token);
    expect(keys).toHaveLength(expected);
    expect(new Set(keys).size).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 3));
  });

  it('shows a user only what they may browse, and answers bad JQL with Jira\'s 400', async () => {
    const viewerKeys = await asUser(VIEWER_ID, async () => {
      const res = await api.asUser().requestJira(route`/rest/api/3/search/jql?jql=${'project in (INC, OPS) ORDER BY key'}&maxResults=100&fields=summary`);
      return ((await res.json()) as { issues: { key: string }[] }).issues.map((i) => i.key);
    });
    expect(viewerKeys.length).toBeGreaterThan(0);
    expect(viewerKeys.every((k) => /^(INC|OPS)-/.test(k))).toBe(true);
    const hidden = await asUser(VIEWER_ID, async () => (await api.asUser().requestJira(route`/rest/api/3/search/jql?jql=${'project = SEC'}`)).status);
    expect(hidden).toBe(400);
    const secIssue = site().state.jira.issues.find((i) => i.key.startsWith('SEC-'))!;
    const status = await asUser(VIEWER_ID, async () => (await api.asUser().requestJira(route`/rest/api/3/issue/${secIssue.key}`)).status);
    expect(status).toBe(404);
    const bad = await asUser(EDITOR_ID, async () => {
      const res = await api.asUser().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jql: 'project = = INC' }) });
      return { status: res.status, body: (await res.json()) as { errorMessages: string[] } };
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errorMessages[0]).toMatch(/Error in the JQL Query/);
  });
});

describe('Confluence page properties', () => {
  const propsPath = (pageId: string) => route`/wiki/api/v2/pages/${pageId}/properties`;

  it('detects a stale version with 409 and keeps the stored value', async () => {
    const created = await asUser(EDITOR_ID, async () => {
      const res = await api.asUser().requestConfluence(propsPath(ONCALL_PAGE_ID), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'pft-test', value: { text: 'first' } }) });
      return (await res.json()) as { id: string; version: { number: number } };
    });
    expect(created.version.number).toBe(1);
    const update = (text: string, version: number) =>
      asUser(EDITOR_ID, async () =>
        api.asUser().requestConfluence(route`/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${created.id}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ key: 'pft-test', value: { text }, version: { number: version } }),
        }),
      );
    expect((await update('second', 2)).status).toBe(200);
    expect((await update('lost?', 2)).status).toBe(409);
    const stored = await asUser(EDITOR_ID, async () => (await api.asUser().requestConfluence(route`/wiki/api/v2/pages/${ONCALL_PAGE_ID}/properties/${created.id}`)).json());
    expect(stored).toMatchObject({ value: { text: 'second' }, version: { number: 2 } });
  });

  it('lets the viewer read but not write (403)', async () => {
    const status = await asUser(VIEWER_ID, async () =>
      (await api.asUser().requestConfluence(propsPath(ONCALL_PAGE_ID), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'pft-viewer', value: {} }) })).status,
    );
    expect(status).toBe(403);
    const read = await asUser(VIEWER_ID, async () => (await api.asUser().requestConfluence(propsPath(ONCALL_PAGE_ID))).status);
    expect(read).toBe(200);
  });

  it('refuses asUser without a user, as the platform proxy does', async () => {
    await expect(api.asUser().requestConfluence(propsPath(ONCALL_PAGE_ID))).rejects.toThrow(/Authentication Required/);
  });
});

describe('the OpenAPI contract check', () => {
  it('rejects a request that breaks the published contract, loudly', async () => {
    const s = site();
    const res = await asUser(ADMIN_ID, async () =>
      api.asUser().requestJira(route`/rest/api/3/search/jql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jql: 'project = INC', maxResults: 'ten' }) }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorMessages: string[] }).errorMessages[0]).toMatch(/local-site contract check: .*maxResults/);
    const unknown = await asUser(ADMIN_ID, async () => api.asUser().requestJira(route`/rest/api/3/nope`));
    expect(unknown.status).toBe(400);
    expect(s.contractViolations.map((v) => v.path)).toEqual(['/rest/api/3/search/jql', '/rest/api/3/nope']);
    s.contractViolations.length = 0; // expected here; any other test leaving one fails
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After, and the app client waits and retries', async () => {
    const s = site();
    s.addFault({ product: 'jira', path: '/rest/api/3/myself', kind: 'rate-limit', retryAfterSeconds: 0, times: 2 });
    const me = await asUser(EDITOR_ID, () => sendJson<{ accountId: string }>((p, init) => api.asUser().requestJira(p, init), route`/rest/api/3/myself`, {}, { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 }));
    expect(me.accountId).toBe(EDITOR_ID);
    expect(s.log.count({ endpoint: '/rest/api/3/myself', status: 429 })).toBe(2);
    expect(s.log.count({ endpoint: '/rest/api/3/myself', status: 200 })).toBe(1);
  });

  it('gives up after the retry budget with a clear error', async () => {
    const s = site();
    s.addFault({ product: 'jira', path: '/rest/api/3/myself', kind: 'server-error', status: 503 });
    await expect(
      asUser(EDITOR_ID, () => sendJson((p, init) => api.asUser().requestJira(p, init), route`/rest/api/3/myself`, {}, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 })),
    ).rejects.toEqual(expect.objectContaining({ status: 503, name: 'AtlassianError' }));
    expect(s.log.count({ endpoint: '/rest/api/3/myself' })).toBe(3);
    expect(AtlassianError).toBeDefined();
  });

  it('fails a share of a bulk create while really creating the rest', async () => {
    const s = site();
    s.addFault({ product: 'jira', kind: 'bulk-partial', failShare: 0.5 });
    const before = s.state.jira.issues.length;
    const issueUpdates = Array.from({ length: 10 }, (_, i) => ({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: `Item ${i}` } }));
    const body = await asUser(EDITOR_ID, async () =>
      (await api.asUser().requestJira(route`/rest/api/3/issue/bulk`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ issueUpdates }) })).json(),
    ) as { issues: unknown[]; errors: { failedElementNumber: number }[] };
    expect(body.issues.length + body.errors.length).toBe(10);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(s.state.jira.issues.length - before).toBe(body.issues.length);
  });

  it('adds latency to every product request', async () => {
    const s = site();
    s.faults.latencyMs = 50;
    const started = Date.now();
    await asUser(EDITOR_ID, () => api.asUser().requestJira(route`/rest/api/3/myself`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("leaves the site's own pages out of the latency: it stands for the app's round trips to the products", async () => {
    const s = site();
    s.faults.latencyMs = 2_000;
    const started = Date.now();
    const res = await s.handleProduct('jira', { method: 'GET', path: '/rest/api/3/myself', query: new URLSearchParams(), headers: {}, body: undefined, actor: { kind: 'user', accountId: EDITOR_ID }, siteUi: true });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
