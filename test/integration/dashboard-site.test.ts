/**
 * The local site's Jira dashboards over HTTP (issue 16): the owner adds the gadget, only its edit frame may
 * save a configuration (for the owner, a JSON object), and the configuration survives a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSite } from '../../local-site/site';
import { startSiteServers, type SiteServers } from '../../local-site/web/server';
import { ADMIN_ID, VIEWER_ID } from '../../local-site/state/users';

const CONFIG = { scope: { kind: 'projects', projectKeys: ['OPS'] }, reasons: ['stale'], rows: 4 };

async function withSite<T>(stateFile: string, work: (site: LocalSite, base: string) => Promise<T>): Promise<T> {
  const site = new LocalSite({ stateFile }).install();
  let servers: SiteServers | undefined;
  try {
    servers = await startSiteServers(site);
    return await work(site, site.baseUrl);
  } finally {
    await servers?.close();
    site.close();
  }
}

const as = (accountId: string) => ({ cookie: `site-user=${encodeURIComponent(accountId)}` });
/** The frame id the host registered for the dashboard's gadget frame, as the page renders it. */
async function frameId(base: string, accountId: string, query = ''): Promise<string> {
  const page = await (await fetch(`${base}/jira/dashboards/10000${query}`, { headers: as(accountId) })).text();
  const m = /data-frame-id="([^"]+)"/.exec(page);
  if (!m) throw new Error(`no gadget frame on the page for ${accountId}${query}`);
  return m[1];
}
const submit = (base: string, accountId: string, id: string, configuration: unknown) =>
  fetch(`${base}/__site/bridge/gadget-config`, { method: 'POST', headers: { ...as(accountId), 'content-type': 'application/json' }, body: JSON.stringify({ frameId: id, configuration }) });

it('lets only the owner’s edit frame save a configuration, and keeps it across a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pft-dashboard-'));
  const stateFile = path.join(dir, 'state.json');
  await withSite(stateFile, async (site, base) => {
    // A viewer cannot add a gadget to Avery's dashboard.
    await fetch(`${base}/__site/jira/dashboard/add-gadget`, { method: 'POST', redirect: 'manual', headers: { ...as(VIEWER_ID), 'content-type': 'application/x-www-form-urlencoded' }, body: 'dashboardId=10000&moduleKey=pft-follow-through-gadget' });
    expect(site.state.jira.dashboards![0].gadgets).toEqual([]);
    const added = await fetch(`${base}/__site/jira/dashboard/add-gadget`, { method: 'POST', redirect: 'manual', headers: { ...as(ADMIN_ID), 'content-type': 'application/x-www-form-urlencoded' }, body: 'dashboardId=10000&moduleKey=pft-follow-through-gadget' });
    const gadgetId = site.state.jira.dashboards![0].gadgets[0].id;
    expect(added.headers.get('location')).toBe(`/jira/dashboards/10000?edit=${gadgetId}`);

    const editFrame = await frameId(base, ADMIN_ID, `?edit=${gadgetId}`);
    const viewFrame = await frameId(base, ADMIN_ID);
    const vicFrame = await frameId(base, VIEWER_ID, `?edit=${gadgetId}`); // not the owner: the view, never the edit view
    expect((await submit(base, ADMIN_ID, viewFrame, CONFIG)).status).toBe(403);
    expect((await submit(base, VIEWER_ID, vicFrame, CONFIG)).status).toBe(403);
    expect((await submit(base, VIEWER_ID, editFrame, CONFIG)).status).toBe(403); // another user's frame
    expect((await submit(base, ADMIN_ID, editFrame, ['not', 'an', 'object'])).status).toBe(400);
    expect((await submit(base, ADMIN_ID, editFrame, { big: 'x'.repeat(40_000) })).status).toBe(400);
    expect(site.state.jira.dashboards![0].gadgets[0].configuration).toBeUndefined();

    expect((await submit(base, ADMIN_ID, editFrame, CONFIG)).status).toBe(200);
    expect(site.state.jira.dashboards![0].gadgets[0].configuration).toEqual(CONFIG);
  });

  // After a restart the gadget's frame still carries its configuration, for every viewer.
  await withSite(stateFile, async (site, base) => {
    expect(site.state.jira.dashboards![0].gadgets[0].configuration).toEqual(CONFIG);
    const page = await (await fetch(`${base}/jira/dashboards/10000`, { headers: as(VIEWER_ID) })).text();
    const context = /data-forge-context="([^"]+)"/.exec(page)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(JSON.parse(context).extension).toMatchObject({ type: 'jira:dashboardGadget', gadgetConfiguration: CONFIG, dashboard: { id: '10000' } });
  });
});
