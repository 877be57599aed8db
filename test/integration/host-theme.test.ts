/**
 * The host theme on the local site: each user's appearance setting (light or dark) is kept in the site's state
 * across restarts, the product pages carry @atlaskit/tokens' attributes and theme CSS for it, each app frame's
 * context names it, and the resource origin serves the token CSS the bridge links into a frame that called
 * view.theme.enable() (under the frame's CSP: style-src 'self').
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSite } from '../../local-site/site';
import { startSiteServers } from '../../local-site/web/server';
import { EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';

const cookie = (accountId: string) => `site-user=${encodeURIComponent(accountId)}`;

async function withSite<T>(stateFile: string | null, fn: (site: LocalSite) => Promise<T>): Promise<T> {
  const site = new LocalSite({ stateFile }).install();
  const servers = await startSiteServers(site);
  try {
    return await fn(site);
  } finally {
    await servers.close();
    site.close();
  }
}

async function chooseTheme(site: LocalSite, accountId: string, colorMode: string, origin = site.baseUrl): Promise<number> {
  const res = await fetch(`${site.baseUrl}/__site/theme`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(accountId), origin: new URL(origin).origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ colorMode, back: '/jira' }).toString(),
  });
  return res.status;
}

async function pageHtml(site: LocalSite, accountId: string, pathname: string): Promise<string> {
  const res = await fetch(`${site.baseUrl}${pathname}`, { headers: { cookie: cookie(accountId) } });
  expect(res.status).toBe(200);
  return res.text();
}

it('keeps each user\'s theme across a restart; pages and frame contexts follow it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pft-theme-'));
  const stateFile = path.join(dir, 'state.json');
  try {
    await withSite(stateFile, async (site) => {
      expect(await chooseTheme(site, EDITOR_ID, 'dark')).toBe(303);
    });
    await withSite(stateFile, async (site) => {
      expect(site.colorModeOf(EDITOR_ID)).toBe('dark');
      expect(site.colorModeOf(VIEWER_ID)).toBe('light');
      const dark = await pageHtml(site, EDITOR_ID, '/wiki/apps/pft-follow-through');
      // What @atlaskit/tokens' getThemeHtmlAttrs gives for the default theme state.
      expect(dark).toMatch(/<html lang="en" data-theme="dark:dark light:light motion:motion shape:shape spacing:spacing typography:typography" data-color-mode="dark">/);
      expect(dark).toContain('<link rel="stylesheet" href="/__site/tokens/dark.css" data-theme="dark"/>');
      expect(dark).not.toContain('/__site/tokens/light.css');
      const context = JSON.parse(/data-forge-context="([^"]+)"/.exec(dark)![1].replace(/&quot;/g, '"')) as { theme: Record<string, string> };
      expect(context.theme).toMatchObject({ colorMode: 'dark', light: 'light', dark: 'dark' });
      const light = await pageHtml(site, VIEWER_ID, '/wiki/apps/pft-follow-through');
      expect(light).toMatch(/data-color-mode="light"/);
      expect(light).toContain('/__site/tokens/light.css');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('refuses a theme it does not know, or a change from an app frame, and changes nothing', async () => {
  await withSite(null, async (site) => {
    site.setColorMode(EDITOR_ID, 'dark');
    expect(await chooseTheme(site, EDITOR_ID, 'purple')).toBe(400);
    expect(site.colorModeOf(EDITOR_ID)).toBe('dark');
    // An app frame (the resource origin) posting the form: refused, as no app changes a user's theme.
    expect(await chooseTheme(site, EDITOR_ID, 'light', site.resourceBaseUrl!)).toBe(403);
    expect(site.colorModeOf(EDITOR_ID)).toBe('dark');
  });
});

it('serves Atlassian\'s token CSS from the resource origin, only for the themes a host state names', async () => {
  await withSite(null, async (site) => {
    const origin = new URL(site.resourceBaseUrl!).origin;
    const dark = await fetch(`${origin}/__site/tokens/dark.css`);
    expect(dark.status).toBe(200);
    expect(dark.headers.get('content-type')).toMatch(/^text\/css/);
    const css = await dark.text();
    expect(css).toContain('html[data-color-mode="dark"][data-theme~="dark:dark"]');
    expect(css).toMatch(/--ds-surface: #[0-9A-F]{6};/i);
    for (const refused of ['UNSAFE-test-dark', 'nope', '..%2Fpackage']) {
      expect((await fetch(`${origin}/__site/tokens/${refused}.css`)).status).toBe(404);
    }
  });
});
