/**
 * The Custom UI seam over HTTP, as a browser meets it: the resources come from another origin under the
 * Content-Security-Policy Forge applies (@forge/csp), and the context a resolver receives is the one the host
 * fixed for the frame: whatever the request body names (another page, macro, issue or module) cannot reach it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSite } from '../../local-site/site';
import { startSiteServers, type SiteServers } from '../../local-site/web/server';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LoadedPostmortem } from '../../src/contract/postmortem-macro';
import type { Result } from '../../src/contract/result';

const LOCAL_ID = 'aaaaaaaa-0000-4000-8000-0000000000c1';
const OTHER_LOCAL_ID = 'aaaaaaaa-0000-4000-8000-0000000000c2';

let site: LocalSite;
let servers: SiteServers;

beforeEach(async () => {
  site = new LocalSite({ stateFile: null }).install();
  servers = await startSiteServers(site);
});
afterEach(async () => {
  await servers.close();
  site.close();
  expect(site.contractViolations).toEqual([]);
});

const cookie = (accountId: string) => ({ cookie: `site-user=${encodeURIComponent(accountId)}` });

/** The page as the product serves it to this user, with the frame ids of the app frames on it. */
async function framesOn(pathname: string, accountId: string): Promise<{ id: string; src: string; sandbox: string; moduleKey: string }[]> {
  const res = await fetch(`${site.baseUrl}${pathname}`, { headers: cookie(accountId) });
  expect(res.status).toBe(200);
  const page = await res.text();
  return [...page.matchAll(/<iframe class="forge-frame"[^>]*>/g)].map(([tag]) => ({
    id: /data-frame-id="([^"]+)"/.exec(tag)![1],
    src: /\ssrc="([^"]+)"/.exec(tag)![1],
    sandbox: /\ssandbox="([^"]+)"/.exec(tag)![1],
    moduleKey: /data-module-key="([^"]+)"/.exec(tag)![1],
  }));
}

async function invoke(accountId: string, body: Record<string, unknown>, origin = site.baseUrl): Promise<{ status: number; body: { result?: unknown; error?: string } }> {
  const res = await fetch(`${site.baseUrl}/__site/bridge/invoke`, {
    method: 'POST',
    headers: { ...cookie(accountId), 'content-type': 'application/json', origin: new URL(origin).origin },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: string } };
}

describe('resolver context', () => {
  it('is the one the host fixed for the frame: a body naming another page, macro or module changes nothing', async () => {
    site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
    site.placeMacro(CATALOGUE_PAGE_ID, 'pft-postmortem', OTHER_LOCAL_ID, 'Postmortem');
    const [frame] = await framesOn(`/wiki/pages/${ONCALL_PAGE_ID}`, EDITOR_ID);

    const forged = await invoke(EDITOR_ID, {
      frameId: frame.id,
      functionKey: 'loadPostmortem',
      // What a tampered host page or a hand-made request could add: all of it is ignored.
      moduleKey: 'pft-settings',
      localId: OTHER_LOCAL_ID,
      extension: { type: 'macro', content: { id: CATALOGUE_PAGE_ID, type: 'page' } },
      context: { accountId: ADMIN_ID, localId: OTHER_LOCAL_ID, extension: { content: { id: CATALOGUE_PAGE_ID } } },
      payload: { pageId: CATALOGUE_PAGE_ID, localId: OTHER_LOCAL_ID },
    });
    expect(forged.status).toBe(200);
    const loaded = forged.body.result as Result<LoadedPostmortem>;
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    expect(loaded.value.page.id).toBe(ONCALL_PAGE_ID);
    // The resolver ran once, for the frame's module.
    expect(site.invocations.map((i) => i.moduleKey)).toEqual(['pft-postmortem']);
  });

  it('names an issue panel’s issue, whatever issue the request names', async () => {
    const [panel] = (await framesOn('/jira/browse/INC-1', EDITOR_ID)).filter((f) => f.moduleKey === 'pft-action-item-origin');
    const seen: unknown[] = [];
    const original = site.invokeUi.bind(site);
    site.invokeUi = (moduleKey, call, ctx) => {
      seen.push({ moduleKey, extension: ctx.extension, accountId: ctx.accountId });
      return original(moduleKey, call, ctx);
    };
    await invoke(EDITOR_ID, { frameId: panel.id, functionKey: 'getOrigin', extension: { issue: { key: 'OPS-1' } }, moduleKey: 'pft-postmortem' });
    expect(seen).toEqual([{ moduleKey: 'pft-action-item-origin', accountId: EDITOR_ID, extension: expect.objectContaining({ type: 'jira:issuePanel', issue: expect.objectContaining({ key: 'INC-1' }) }) }]);
  });

  it('cannot be borrowed: no frame, an unknown frame, another user’s frame or another origin is refused', async () => {
    site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
    const [frame] = await framesOn(`/wiki/pages/${ONCALL_PAGE_ID}`, EDITOR_ID);
    const body = { functionKey: 'loadPostmortem', moduleKey: 'pft-postmortem', localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID } } };
    expect((await invoke(EDITOR_ID, body)).status).toBe(403);
    expect((await invoke(EDITOR_ID, { ...body, frameId: 'not-a-frame' })).status).toBe(403);
    expect((await invoke(VIEWER_ID, { ...body, frameId: frame.id })).status).toBe(403);
    // The frame's own origin (a script inside the app frame calling the product directly) is not the host.
    expect((await invoke(EDITOR_ID, { ...body, frameId: frame.id }, site.resourceBaseUrl)).status).toBe(403);
    expect(site.invocations).toEqual([]);
  });
});

describe('resources', () => {
  it('come from another origin, in the documented sandbox, under Forge’s CSP', async () => {
    site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', LOCAL_ID, 'Postmortem');
    const [frame] = await framesOn(`/wiki/pages/${ONCALL_PAGE_ID}`, EDITOR_ID);
    expect(new URL(frame.src).origin).not.toBe(new URL(site.baseUrl).origin);
    // developer.atlassian.com/platform/forge/custom-ui/iframe: no popups, no top navigation.
    expect(frame.sandbox.split(' ').sort()).toEqual(['allow-downloads', 'allow-forms', 'allow-modals', 'allow-pointer-lock', 'allow-same-origin', 'allow-scripts']);
    // The product never serves the resources itself.
    expect((await fetch(`${site.baseUrl}${new URL(frame.src).pathname}`)).status).toBe(404);

    const res = await fetch(frame.src);
    expect(res.status).toBe(200);
    const csp = Object.fromEntries(
      res.headers
        .get('content-security-policy')!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    // The app declares no inline styles, no client-side egress and no eval.
    expect(csp['style-src']).not.toContain("'unsafe-inline'");
    expect(csp['script-src']).toEqual(expect.arrayContaining(["'self'"]));
    expect(csp['script-src']).not.toContain("'unsafe-eval'");
    expect(csp['connect-src']).toEqual(expect.arrayContaining(["'self'", new URL(site.baseUrl).origin]));
    expect(csp['frame-ancestors']).toContain(new URL(site.baseUrl).origin);
  });

  it('take inline styles and client fetches only as the manifest declares them', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pft-csp-'));
    fs.mkdirSync(path.join(root, 'ui'));
    fs.writeFileSync(path.join(root, 'ui', 'index.html'), '<!doctype html><html><head></head><body>hi</body></html>');
    fs.writeFileSync(
      path.join(root, 'manifest.yml'),
      [
        'app: { id: "ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000002", runtime: { name: nodejs22.x } }',
        'modules:',
        '  jira:adminPage: [{ key: admin, title: Admin, resource: ui }]',
        'resources: [{ key: ui, path: ui }]',
        'permissions:',
        '  content: { styles: ["unsafe-inline"] }',
        '  external: { fetch: { client: ["https://api.example.com"] } }',
      ].join('\n'),
    );
    const other = new LocalSite({ stateFile: null, appRoot: root });
    const otherServers = await startSiteServers(other);
    try {
      const res = await fetch(`${other.resourceBaseUrl}/__site/resources/ui/index.html`);
      const policy = res.headers.get('content-security-policy')!;
      expect(policy).toMatch(/style-src [^;]*'unsafe-inline'/);
      expect(policy).toMatch(/connect-src [^;]*https:\/\/api\.example\.com/);
    } finally {
      await otherServers.close();
      other.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
