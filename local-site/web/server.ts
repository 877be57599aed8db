/**
 * The local site over HTTP: Confluence and Jira screens a person can click through, the product REST APIs
 * (as the signed-in user), the Custom UI resources with the bridge seam injected, and a few site controls
 * (user switcher, reset, clock, triggers).
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LocalSite } from '../site';
import type { Actor, SiteResponse } from '../http/types';
import type { UiModule } from '../platform/manifest';
import { APP_IDS } from '../platform/invocation';
import { ADMIN_ID } from '../state/users';
import type { JiraDashboard, JiraDashboardGadget } from '../state/types';
import { demoLoaded, mondayAnchor, seedPostmortems } from '../demo/postmortems';
import { html, Html, jsonAttr, esc } from './html';
import { adfToHtml, withMentionNames, type AdfNode } from './adf-html';
import { createResourceServer, CUSTOM_UI_ALLOW, CUSTOM_UI_SANDBOX } from './resources';
import { addRule, removeRule, rulesFor } from '../jira/workflows'; // issue 16
import { COLOR_MODES, isColorMode, themeCss, themeHtmlAttrs, themeIdsToLoad, themeState, type HostThemeState } from './theme';

const PUBLIC_DIR = path.join(__dirname, 'public');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  user: string;
  site: LocalSite;
  frames: FrameRegistry;
}

/**
 * What the host fixed for one Custom UI frame when it rendered it: the user, module and extension context
 * every resolver call from that frame receives. The browser only ever names the frame (by an id it cannot
 * guess): nothing it sends can change this context, as on Cloud, where the platform attaches it.
 */
export interface FrameContext {
  accountId: string;
  moduleKey: string;
  localId: string;
  extension: Record<string, unknown>;
}

export class FrameRegistry {
  private readonly frames = new Map<string, FrameContext>();
  constructor(private readonly capacity = 20_000) {}

  register(frame: FrameContext): string {
    const id = randomUUID();
    this.frames.set(id, frame);
    // The oldest frames are forgotten first (their pages were left long ago; a reload registers anew).
    if (this.frames.size > this.capacity) this.frames.delete(this.frames.keys().next().value!);
    return id;
  }

  get(id: unknown): FrameContext | undefined {
    return typeof id === 'string' ? this.frames.get(id) : undefined;
  }
}

export function createSiteServer(site: LocalSite): http.Server {
  const frames = new FrameRegistry();
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const user = currentUser(req, site);
    handle({ req, res, url, user, site, frames }).catch((e: unknown) => {
      console.error('[local-site] request failed', req.method, req.url, e);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `Local site error: ${(e as Error).message}`);
    });
  });
}

export interface SiteServers {
  product: http.Server;
  resources: http.Server;
  close(): Promise<void>;
}

/**
 * Starts the product site and, on another port (another origin), the Custom UI resources; sets the site's
 * base URLs. Port 0 = any free port (tests); `resourcePort` defaults to any free port too.
 */
export async function startSiteServers(site: LocalSite, options: { host?: string; port?: number; resourcePort?: number } = {}): Promise<SiteServers> {
  const host = options.host ?? '127.0.0.1';
  const product = createSiteServer(site);
  const resources = createResourceServer(site);
  const listen = (server: http.Server, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
  const productPort = await listen(product, options.port ?? 0);
  const resourcePort = await listen(resources, options.resourcePort ?? 0);
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  site.baseUrl = `http://${name}:${productPort}`;
  site.resourceBaseUrl = `http://${name}:${resourcePort}`;
  const closeOne = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  return { product, resources, close: () => Promise.all([closeOne(product), closeOne(resources)]).then(() => undefined) };
}

function currentUser(req: http.IncomingMessage, site: LocalSite): string {
  const m = /(?:^|;\s*)site-user=([^;]+)/.exec(req.headers.cookie ?? '');
  const id = m ? decodeURIComponent(m[1]) : ADMIN_ID;
  return site.state.users.some((u) => u.accountId === id) ? id : ADMIN_ID;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function redirect(res: http.ServerResponse, to: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location: to, ...headers });
  res.end();
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text ? JSON.parse(text) : undefined;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/** A product REST call as the signed-in user, exactly as the app's asUser calls are served (without the benchmarks' latency). */
async function product(ctx: Ctx, productName: 'jira' | 'confluence', method: string, pathWithQuery: string, body?: unknown): Promise<SiteResponse> {
  const u = new URL(pathWithQuery, 'http://localhost');
  const actor: Actor = { kind: 'user', accountId: ctx.user };
  return ctx.site.handleProduct(productName, { method, path: u.pathname, query: u.searchParams, headers: {}, body, actor, siteUi: true });
}

async function handle(ctx: Ctx): Promise<void> {
  const { req, res, url, site } = ctx;
  const p = url.pathname;
  const method = req.method ?? 'GET';

  // ---- product REST over HTTP (the site's screens and the bridge's requestJira/requestConfluence use it) ----
  if (p.startsWith('/rest/api/3/') || p.startsWith('/wiki/api/v2/') || p.startsWith('/wiki/rest/api/')) {
    // A cookie-authenticated write from another origin (a Custom UI frame's own fetch, another site) is refused,
    // as Atlassian's XSRF protection refuses it.
    if (method !== 'GET' && !sameOrigin(ctx)) return sendJson(res, 403, { errorMessages: ['XSRF check failed'], errors: {} });
    const body = method === 'GET' || method === 'DELETE' ? undefined : await readJson(req).catch(() => undefined);
    const out = await product(ctx, p.startsWith('/rest/') ? 'jira' : 'confluence', method, p + url.search, body);
    return out.body === undefined ? send(res, out.status, 'text/plain', '', out.headers) : sendJson(res, out.status, out.body);
  }

  // ---- static files of the site itself ----
  const tokens = /^\/__site\/tokens\/([a-z-]+)\.css$/.exec(p);
  if (tokens) {
    const css = themeCss(tokens[1]);
    return css === undefined ? send(res, 404, 'text/plain', 'No such theme') : send(res, 200, MIME['.css'], css);
  }
  if (p.startsWith('/__site/public/') || p === '/__site/host.js') {
    const file = path.join(PUBLIC_DIR, path.basename(p));
    if (!fs.existsSync(file)) return send(res, 404, 'text/plain', 'Not found');
    return send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  }

  // ---- the bridge: calls the host page makes on behalf of one of its frames ----
  if (p.startsWith('/__site/bridge/') && method === 'POST' && (!sameOrigin(ctx) || !/^application\/json\b/.test(req.headers['content-type'] ?? ''))) {
    return sendJson(res, 403, { error: 'The bridge only answers the product page.' });
  }
  if (p === '/__site/bridge/invoke' && method === 'POST') {
    const call = (await readJson(req)) as { frameId?: unknown; functionKey?: unknown; payload?: unknown };
    // The frame's context is the one the host fixed when it rendered the frame, for the user it rendered it for.
    const frame = ctx.frames.get(call?.frameId);
    if (!frame || frame.accountId !== ctx.user) return sendJson(res, 403, { error: 'This app frame is not open for you here; reload the page.' });
    if (typeof call.functionKey !== 'string') return sendJson(res, 400, { error: 'functionKey must be a string!' });
    try {
      const result = await site.invokeUi(frame.moduleKey, { functionKey: call.functionKey, payload: call.payload }, { accountId: frame.accountId, extension: frame.extension, localId: frame.localId });
      return sendJson(res, 200, { result: result ?? null });
    } catch (e) {
      // A resolver that lets NeedsAuthenticationError through (@forge/api errors.js, name NEEDS_AUTHENTICATION_ERR):
      // the Atlassian host asks the user to allow access instead of showing the app an error.
      if ((e as Error).name === 'NEEDS_AUTHENTICATION_ERR') return sendJson(res, 401, { error: (e as Error).message, consentRequired: true });
      // What Forge hands an iframe when its resolver throws: the invoke promise rejects with the message.
      return sendJson(res, 500, { error: (e as Error).message });
    }
  }
  if (p === '/__site/bridge/modal' && method === 'POST') {
    // A Modal the frame opens: same module and user, the app's own modal context under extension.modal.
    const call = (await readJson(req)) as { frameId?: unknown; context?: unknown };
    const opener = ctx.frames.get(call?.frameId);
    if (!opener || opener.accountId !== ctx.user) return sendJson(res, 403, { error: 'This app frame is not open for you here; reload the page.' });
    const modal = { ...opener, extension: { ...opener.extension, modal: call.context ?? {} } };
    return sendJson(res, 200, { result: { frameId: ctx.frames.register(modal), extension: modal.extension } });
  }
  if (p === '/__site/bridge/gadget-config' && method === 'POST') {
    // A gadget's edit view submitted its configuration (view.submit): Jira keeps it with the gadget.
    const call = (await readJson(req)) as { frameId?: unknown; configuration?: unknown };
    const out = saveGadgetConfiguration(ctx, call?.frameId, call?.configuration);
    return sendJson(res, out.status, out.status === 200 ? { result: true } : { error: out.error });
  }
  if (p === '/__site/bridge/fetch-product' && method === 'POST') {
    const call = (await readJson(req)) as { product: 'jira' | 'confluence'; restPath: string; fetchRequestInit?: { method?: string; body?: string | null } };
    const m = (call.fetchRequestInit?.method ?? 'GET').toUpperCase();
    const bodyText = call.fetchRequestInit?.body;
    const out = await product(ctx, call.product, m, call.restPath, bodyText ? JSON.parse(bodyText) : undefined);
    return sendJson(res, 200, {
      result: {
        status: out.status,
        statusText: http.STATUS_CODES[out.status] ?? '',
        headers: { 'content-type': 'application/json', ...(out.headers ?? {}) },
        body: out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body),
        isAttachment: false,
      },
    });
  }

  // ---- site controls ----
  if (p === '/__site/connect' && method === 'POST') {
    // An admin connects or disconnects the optional Atlassian app (Jira) to the app's installation.
    const form = await readForm(req);
    site.setConnected('jira', form.get('connected') === 'true');
    return redirect(res, '/__site/platform');
  }
  if (p === '/__site/deploy-major' && method === 'POST') {
    // A new major version of the app, as a deployment that changed its permissions: Forge sends avi:forge:upgraded:app.
    await site.deployMajorVersion();
    return redirect(res, '/__site/platform');
  }
  if (p === '/__site/consent' && method === 'POST') {
    // The host's "Allow access" prompt: the signed-in user allows the app to act for them.
    site.allowAccess(ctx.user);
    return sendJson(res, 200, { result: true });
  }
  if (p === '/__site/consent/revoke' && method === 'POST') {
    const form = await readForm(req);
    site.revokeAccess(ctx.user);
    return redirect(res, form.get('back') ?? '/');
  }
  if (p === '/__site/theme' && method === 'POST') {
    // The user's appearance setting (light or dark), kept in the site's state: pages and themed frames follow it.
    // Only the product's own pages change it (an app frame on the resource origin cannot).
    if (!sameOrigin(ctx)) return send(res, 403, 'text/plain; charset=utf-8', 'Only the product page changes the theme');
    const form = await readForm(req);
    const mode = form.get('colorMode');
    if (!isColorMode(mode)) return send(res, 400, 'text/plain; charset=utf-8', 'colorMode must be light or dark');
    site.setColorMode(ctx.user, mode);
    return redirect(res, form.get('back') ?? '/');
  }
  if (p === '/__site/user' && method === 'POST') {
    const form = await readForm(req);
    const id = form.get('accountId') ?? ADMIN_ID;
    return redirect(res, form.get('back') ?? '/', { 'set-cookie': `site-user=${encodeURIComponent(id)}; Path=/; SameSite=Lax` });
  }
  if (p === '/__site/demo' && method === 'POST') {
    // Six postmortems (drafts to published, with their Jira issues) made through the app itself, for the index,
    // insights, report and follow-ups to have something to show.
    if (!demoLoaded(site)) await seedPostmortems(site, mondayAnchor(site.now()));
    return redirect(res, '/wiki/apps/pft-postmortem-index');
  }
  if (p === '/__site/reset' && method === 'POST') {
    site.reset();
    return redirect(res, '/');
  }
  if (p === '/__site/clock/advance' && method === 'POST') {
    const form = await readForm(req);
    await site.advanceClock(Number(form.get('days') ?? '1') * 86_400_000);
    return redirect(res, form.get('back') ?? '/');
  }
  const trigger = /^\/__site\/triggers\/([^/]+)\/run$/.exec(p);
  if (trigger && method === 'POST') {
    await site.runScheduledTrigger(decodeURIComponent(trigger[1]));
    await site.runDueEvents();
    return redirect(res, '/__site/platform');
  }
  if (p === '/__site/log') return sendJson(res, 200, { byEndpoint: site.log.byEndpoint(), contractViolations: site.contractViolations, unserved: site.unservedRequests });

  // ---- web triggers ----
  const web = /^\/x\/webtrigger\/([^/]+)$/.exec(p);
  if (web) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const out = await site.callWebTrigger(decodeURIComponent(web[1]), { method, path: p, headers, query: url.searchParams, body: await readBody(req) });
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(out.headers)) outHeaders[k] = v.join(', ');
    return send(res, out.statusCode, outHeaders['content-type'] ?? 'text/plain', out.body, outHeaders);
  }

  // ---- form actions from the site's screens ----
  if (method === 'POST') return formAction(ctx);

  // ---- screens ----
  return screen(ctx);
}

/** Whether a request comes from the product's own pages (browsers send Origin on every cross-origin POST). */
function sameOrigin(ctx: Ctx): boolean {
  const origin = ctx.req.headers.origin;
  if (origin === undefined) return true;
  return origin === new URL(ctx.site.baseUrl).origin || origin === `http://${ctx.req.headers.host ?? ''}`;
}

// ---------------------------------------------------------------- screens

/** `data-theme="…" data-color-mode="…"` for the page's <html>. */
function themeAttrsHtml(state: HostThemeState): Html {
  return new Html(Object.entries(themeHtmlAttrs(state)).map(([name, value]) => `${name}="${esc(value)}"`).join(' '));
}

function layout(ctx: Ctx, title: string, body: Html): void {
  const { site, user } = ctx;
  const back = ctx.url.pathname + ctx.url.search;
  // The page is themed as Atlassian's products theme theirs (@atlaskit/tokens: attributes on <html>, token CSS).
  const theme = themeState(site.colorModeOf(user));
  // host.js first and not deferred: its bridge listener must be there before any Custom UI frame can post to it
  // (as on Cloud, where the host's bridge is up before it creates the iframe). Deferred, it ran after the frames in
  // the body had loaded, and a frame's first bridge call (the macro's load) could be lost: "Loading…" for ever.
  const page = html`<!doctype html>
<html lang="en" ${themeAttrsHtml(theme)}><head><meta charset="utf-8"/><title>${title} · Local Atlassian site</title>
<script src="/__site/host.js"></script>
${themeIdsToLoad(theme).map((id) => html`<link rel="stylesheet" href="/__site/tokens/${id}.css" data-theme="${id}"/>`)}
<link rel="stylesheet" href="/__site/public/site.css"/></head>
<body>
<header class="site">
  <a href="/">Local Atlassian site</a>
  <a href="/wiki">Confluence</a>
  <a href="/jira">Jira</a>
  <a href="/jira/dashboards">Dashboards</a>
  <a href="/__site/platform">Forge platform</a>
  <a href="/__site/inbox">Inbox</a>
  <span class="spacer"></span>
  <span title="Site clock">${site.now().toISOString().slice(0, 16).replace('T', ' ')} UTC</span>
  <form method="post" action="/__site/user" id="user-switcher">
    <input type="hidden" name="back" value="${back}"/>
    <select name="accountId" aria-label="Signed in as" onchange="this.form.submit()">
      ${site.state.users.map((u) => html`<option value="${u.accountId}" ${u.accountId === user ? new Html('selected') : ''}>${u.displayName}</option>`)}
    </select>
  </form>
  <form method="post" action="/__site/theme" id="theme-switcher" title="Your appearance setting, as in your Atlassian account: every page and every app that enabled theming follow it">
    <input type="hidden" name="back" value="${back}"/>
    <select name="colorMode" aria-label="Theme" onchange="this.form.submit()">
      ${COLOR_MODES.map((m) => html`<option value="${m}" ${m === theme.colorMode ? new Html('selected') : ''}>${m === 'dark' ? 'Dark theme' : 'Light theme'}</option>`)}
    </select>
  </form>
  ${site.hasConsent(user) ? html`<form method="post" action="/__site/consent/revoke" id="revoke-access" title="What a user does under Connected apps in their Atlassian account: the app asks again next time">
    <input type="hidden" name="back" value="${back}"/>
    <button type="submit" class="link">Revoke app access</button>
  </form>` : html`<span class="muted" id="no-app-access">App access not allowed</span>`}
</header>
<main data-app-title="${site.manifest.title}" data-app-scopes="${site.manifest.scopes.join(' ')}">${body}</main>
<div id="site-flags"></div>
</body></html>`;
  // Product pages are never framed (an app that loads one inside its own frame sees it refused, as on Cloud).
  send(ctx.res, 200, MIME['.html'], page.value, { 'content-security-policy': "frame-ancestors 'self'" });
}

/** The product a module's frames live in (for the navigation targets its host supports). */
export function productOf(mod: UiModule): 'confluence' | 'jira' {
  return mod.type.startsWith('jira:') ? 'jira' : 'confluence';
}

function forgeFrame(ctx: Ctx, mod: UiModule, extension: Record<string, unknown>, localId?: string, options: { resource?: string; attributes?: Html } = {}): Html {
  try {
    ctx.site.installationForModule(mod.type);
  } catch {
    // The module's Atlassian app is not connected to the installation: the product shows no app there.
    return html`<p class="muted forge-not-installed">${mod.title} is not available: Jira is not connected to this app.</p>`;
  }
  const user = ctx.site.state.users.find((u) => u.accountId === ctx.user);
  const frameExtension = { type: mod.type, ...extension };
  const frameLocalId = localId ?? `${mod.key}-${ctx.user}`;
  const context = {
    accountId: ctx.user,
    cloudId: APP_IDS.cloudId,
    environmentId: APP_IDS.environmentId,
    environmentType: 'DEVELOPMENT',
    appVersion: APP_IDS.appVersion,
    localId: frameLocalId,
    moduleKey: mod.key,
    siteUrl: ctx.site.baseUrl,
    locale: 'en-US',
    timezone: user?.timeZone ?? 'UTC',
    theme: themeState(ctx.site.colorModeOf(ctx.user)),
    license: { isActive: true },
    extension: frameExtension,
  };
  const frameId = ctx.frames.register({ accountId: ctx.user, moduleKey: mod.key, localId: frameLocalId, extension: frameExtension });
  if (!ctx.site.resourceBaseUrl) throw new Error('The Custom UI resource server is not running: start the site with startSiteServers (local-site/web/server.ts).');
  const resourceOrigin = new URL(ctx.site.resourceBaseUrl).origin;
  const base = `${resourceOrigin}/__site/resources/${encodeURIComponent(options.resource ?? mod.resource)}/`;
  return html`<iframe class="forge-frame" title="${mod.title}" sandbox="${CUSTOM_UI_SANDBOX}" allow="${CUSTOM_UI_ALLOW}" data-frame-id="${frameId}" data-product="${productOf(mod)}" data-module-key="${mod.key}" data-resource-origin="${resourceOrigin}" data-resource-base="${base}" data-forge-context="${new Html(jsonAttr(context))}" ${options.attributes ?? ''} src="${base}index.html"></iframe>`;
}

const modulesOf = (ctx: Ctx, type: string) => ctx.site.manifest.uiModules.filter((m) => m.type === type);

async function screen(ctx: Ctx): Promise<void> {
  const p = ctx.url.pathname;
  let m: RegExpExecArray | null;
  if (p === '/') return home(ctx);
  if (p === '/wiki') return spaces(ctx);
  if ((m = /^\/wiki\/spaces\/([^/]+)$/.exec(p))) return space(ctx, decodeURIComponent(m[1]));
  if ((m = /^\/wiki\/pages\/(\d+)$/.exec(p))) return pageView(ctx, m[1]);
  // Confluence's own page URLs (`_links.webui`): /wiki/spaces/KEY/pages/ID/Title
  if ((m = /^\/wiki\/spaces\/[^/]+\/pages\/(\d+)(?:\/[^/]*)?$/.exec(p))) return pageView(ctx, m[1]);
  if ((m = /^\/wiki\/pages\/(\d+)\/export$/.exec(p))) return pageExport(ctx, m[1]);
  if ((m = /^\/wiki\/pages\/(\d+)\/edit$/.exec(p))) return pageEdit(ctx, m[1]);
  if ((m = /^\/wiki\/apps\/([^/]+)$/.exec(p))) return moduleScreen(ctx, decodeURIComponent(m[1]), 'confluence:globalPage', {});
  if (p === '/jira') return projects(ctx);
  if ((m = /^\/jira\/projects\/([^/]+)$/.exec(p))) return projectView(ctx, decodeURIComponent(m[1]));
  if ((m = /^\/jira\/projects\/([^/]+)\/apps\/([^/]+)$/.exec(p))) return projectApp(ctx, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
  if ((m = /^\/jira\/browse\/([^/]+)$/.exec(p))) return issueView(ctx, decodeURIComponent(m[1]));
  if ((m = /^\/jira\/settings\/apps\/([^/]+)$/.exec(p))) return moduleScreen(ctx, decodeURIComponent(m[1]), 'jira:adminPage', {});
  if (p === '/jira/settings/workflows') return workflowsScreen(ctx); // issue 16
  if ((m = /^\/jira\/apps\/([^/]+)$/.exec(p))) return moduleScreen(ctx, decodeURIComponent(m[1]), 'jira:globalPage', {});
  // ---- Jira dashboards (issue 16) ----
  if (p === '/jira/dashboards') return dashboardList(ctx);
  if ((m = /^\/jira\/dashboards\/(\d+)$/.exec(p))) return dashboardView(ctx, m[1]);
  if (p === '/__site/platform') return platform(ctx);
  if (p === '/__site/inbox') return inbox(ctx);
  // Jira Cloud's short issue links (site/browse/KEY), as the app writes them.
  if ((m = /^\/browse\/([^/]+)$/.exec(p))) return redirect(ctx.res, `/jira/browse/${m[1]}${ctx.url.search}`);
  send(ctx.res, 404, MIME['.html'], html`<p>Nothing here: ${p}. <a href="/">Home</a></p>`.value);
}

function appLinks(ctx: Ctx): Html {
  const links = ctx.site.manifest.uiModules.flatMap((mod) => {
    if (mod.type === 'jira:adminPage') return [html`<li><a href="/jira/settings/apps/${mod.key}">${mod.title}</a> <span class="muted">— Jira administration</span></li>`];
    if (mod.type === 'confluence:globalPage') return [html`<li><a href="/wiki/apps/${mod.key}">${mod.title}</a> <span class="muted">— Confluence app page</span></li>`];
    if (mod.type === 'jira:globalPage') return [html`<li><a href="/jira/apps/${mod.key}">${mod.title}</a> <span class="muted">— Jira app page</span></li>`];
    if (mod.type === 'jira:projectPage') return [html`<li>${mod.title} <span class="muted">— on each Jira project page</span></li>`];
    if (mod.type === 'macro') return [html`<li>${mod.title} <span class="muted">— Confluence macro: edit a page and insert it</span></li>`];
    if (mod.type === 'jira:dashboardGadget') return [html`<li>${mod.title} <span class="muted">— Jira dashboard gadget: add it on a <a href="/jira/dashboards">dashboard</a></span></li>`];
    if (mod.type === 'jira:issuePanel' || mod.type === 'jira:issueGlance' || mod.type === 'jira:issueAction') return [html`<li>${mod.title} <span class="muted">— on the Jira issue view</span></li>`];
    return [];
  });
  return html`<ul>${links}</ul>`;
}

function home(ctx: Ctx): void {
  layout(ctx, 'Home', html`
    <div class="card"><h1>${ctx.site.manifest.title} on the local site</h1>
      <p class="muted">A stand-in for Confluence, Jira and the Forge platform running the app's production code and Custom UI bundles. Switch user at the top right.</p>
      <h2>The app</h2>${appLinks(ctx)}
      <h2>Products</h2><ul><li><a href="/wiki">Confluence spaces</a></li><li><a href="/jira">Jira projects</a></li><li><a href="/jira/settings/workflows">Jira workflows</a> <span class="muted">— Jira administration: validators on transitions</span></li><li><a href="/__site/inbox">Inbox</a> <span class="muted">— email the app sent (the site's SMTP catcher)</span></li></ul>
    </div>
    <div class="card"><h2>Site</h2>
      ${demoLoaded(ctx.site) ? html`<p class="muted">The demo postmortems are loaded: see the <a href="/wiki/apps/pft-postmortem-index">postmortem index</a>.</p>` : html`<form method="post" action="/__site/demo"><button type="submit" data-testid="load-demo">Load demo postmortems</button> <span class="muted">— six postmortems from draft to published, with their Jira action items, made through the app</span></form>`}
      <form method="post" action="/__site/reset" onsubmit="return confirm('Reset all data to the seed?')"><button type="submit">Reset the site to its seed data</button></form>
    </div>`);
}

async function spaces(ctx: Ctx): Promise<void> {
  const out = await product(ctx, 'confluence', 'GET', '/wiki/api/v2/spaces?limit=50');
  const results = ((out.body as { results?: { id: string; key: string; name: string }[] })?.results ?? []);
  layout(ctx, 'Confluence', html`<div class="card"><h1>Spaces</h1><ul>${results.map((s) => html`<li><a href="/wiki/spaces/${s.key}">${s.name}</a> <span class="muted">${s.key}</span></li>`)}</ul>
    ${modulesOf(ctx, 'confluence:globalPage').length ? html`<h2>Apps</h2><ul>${modulesOf(ctx, 'confluence:globalPage').map((mod) => html`<li><a href="/wiki/apps/${mod.key}">${mod.title}</a></li>`)}</ul>` : ''}</div>`);
}

async function space(ctx: Ctx, key: string): Promise<void> {
  const found = await product(ctx, 'confluence', 'GET', `/wiki/api/v2/spaces?keys=${encodeURIComponent(key)}`);
  const s = (found.body as { results?: { id: string; key: string; name: string }[] })?.results?.[0];
  if (!s) return layout(ctx, 'Not found', html`<div class="card"><p>There is no space ${key} that you can see.</p></div>`);
  const pages = await product(ctx, 'confluence', 'GET', `/wiki/api/v2/spaces/${s.id}/pages?limit=250`);
  const list = ((pages.body as { results?: { id: string; title: string }[] })?.results ?? []);
  const error = ctx.url.searchParams.get('error');
  layout(ctx, s.name, html`<div class="card"><div class="crumbs">Confluence / ${s.key}</div><h1>${s.name}</h1>
    <ul>${list.map((pg) => html`<li><a href="/wiki/pages/${pg.id}">${pg.title}</a></li>`)}</ul>
    <h2>Create a page</h2>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    <form method="post" action="/__site/wiki/create-page"><input type="hidden" name="spaceId" value="${s.id}"/><input type="hidden" name="spaceKey" value="${s.key}"/>
      <input type="text" name="title" placeholder="Page title" required/> <p><button class="primary" type="submit">Create</button></p></form></div>`);
}

interface PageJson { id: string; title: string; spaceId: string; version: { number: number }; body?: { atlas_doc_format?: { value: string } } }

/** Mentions show the person's current display name, as Jira and Confluence render them (ADF stores the account id). */
function namedMentions(ctx: Ctx, doc: unknown): unknown {
  return withMentionNames(doc, (accountId) => ctx.site.state.users.find((u) => u.accountId === accountId)?.displayName);
}

/** Whether the page's `operations` (asked for as the viewer) include updating it. */
function canEditPage(page: PageJson): boolean {
  const ops = (page as { operations?: { results?: { operation?: string }[] } }).operations?.results ?? [];
  return ops.some((o) => o.operation === 'update');
}

async function loadPage(ctx: Ctx, id: string): Promise<{ page?: PageJson; status: number; spaceKey?: string }> {
  // The operations say whether this person may edit the page: Confluence shows Edit only to those who may.
  const out = await product(ctx, 'confluence', 'GET', `/wiki/api/v2/pages/${id}?body-format=atlas_doc_format&include-operations=true`);
  if (out.status !== 200) return { status: out.status };
  const page = out.body as PageJson;
  const sp = await product(ctx, 'confluence', 'GET', `/wiki/api/v2/spaces/${page.spaceId}`);
  return { page, status: 200, spaceKey: (sp.body as { key?: string })?.key };
}

/** The module key of a Forge macro extension node (`.../static/<moduleKey>`), if it is this app's. */
function macroModule(ctx: Ctx, node: AdfNode): UiModule | undefined {
  const key = String(node.attrs?.extensionKey ?? '');
  const moduleKey = key.includes('/static/') ? key.slice(key.lastIndexOf('/static/') + 8) : key;
  return ctx.site.manifest.uiModules.find((mod) => mod.type === 'macro' && mod.key === moduleKey);
}

async function pageView(ctx: Ctx, id: string): Promise<void> {
  const { page, status, spaceKey } = await loadPage(ctx, id);
  if (!page) return layout(ctx, 'Not found', html`<div class="card"><p>${status === 404 ? 'This page does not exist or you do not have permission to view it.' : `Confluence answered ${status}.`}</p></div>`);
  const adf: unknown = page.body?.atlas_doc_format ? JSON.parse(page.body.atlas_doc_format.value) : null;
  const body = adfToHtml(namedMentions(ctx, adf), (node) => {
    const mod = macroModule(ctx, node);
    const params = (node.attrs?.parameters ?? {}) as { localId?: string; guestParams?: Record<string, unknown> };
    if (!mod) return html`<div class="macro"><div class="macro-label">Unknown macro ${String(node.attrs?.extensionKey ?? '')}</div></div>`;
    const localId = String(params.localId ?? node.attrs?.localId ?? '');
    return html`<div class="macro"><div class="macro-label">${mod.title}</div>${forgeFrame(ctx, mod, {
      content: { id: page.id, type: 'page' },
      space: { id: page.spaceId, key: spaceKey },
      config: params.guestParams ?? {},
      isEditing: false,
      macro: { isConfiguring: false },
    }, localId)}</div>`;
  });
  const labelsOut = await product(ctx, 'confluence', 'GET', `/wiki/api/v2/pages/${page.id}/labels?limit=50`);
  const labels = ((labelsOut.body as { results?: { name: string }[] } | undefined)?.results ?? []).map((l) => l.name);
  layout(ctx, page.title, html`<div class="card"><div class="crumbs"><a href="/wiki/spaces/${spaceKey}">${spaceKey}</a> / page ${page.id} · version ${page.version.number}</div>
    <h1>${page.title}</h1>${labels.length ? html`<p class="page-labels" id="page-labels" aria-label="Labels">${labels.map((l) => html`<span class="label">${l}</span> `)}</p>` : ''}<p>${canEditPage(page) ? html`<a href="/wiki/pages/${page.id}/edit" id="edit-page">Edit</a> · ` : ''}<a href="/wiki/pages/${page.id}/export">Export (as PDF would show it)</a></p><div class="page-body">${body}</div></div>`);
}

/** What Confluence's PDF/Word export shows: each app macro replaced by the ADF its adfExport function returns. */
async function pageExport(ctx: Ctx, id: string): Promise<void> {
  const { page, status, spaceKey } = await loadPage(ctx, id);
  if (!page) return layout(ctx, 'Not found', html`<div class="card"><p>Confluence answered ${status}.</p></div>`);
  const adf = page.body?.atlas_doc_format ? (JSON.parse(page.body.atlas_doc_format.value) as AdfNode) : { type: 'doc', content: [] };
  const exported: AdfNode[] = [];
  for (const node of adf.content ?? []) {
    const mod = node.type === 'extension' || node.type === 'bodiedExtension' ? macroModule(ctx, node) : undefined;
    if (!mod?.adfExportFunction) {
      exported.push(node);
      continue;
    }
    const params = (node.attrs?.parameters ?? {}) as { localId?: string; guestParams?: Record<string, unknown> };
    const out = (await ctx.site.exportMacro(mod.key, {
      accountId: ctx.user,
      localId: String(params.localId ?? node.attrs?.localId ?? ''),
      extension: { content: { id: page.id, type: 'page' }, space: { id: page.spaceId, key: spaceKey }, config: params.guestParams ?? {} },
    })) as AdfNode;
    exported.push(...(out?.content ?? []));
  }
  layout(ctx, `Export of ${page.title}`, html`<div class="card export"><div class="crumbs">Export of page ${page.id}</div><h1>${page.title}</h1>${adfToHtml({ type: 'doc', content: exported })}</div>`);
}

async function pageEdit(ctx: Ctx, id: string): Promise<void> {
  const { page, status } = await loadPage(ctx, id);
  if (!page) return layout(ctx, 'Not found', html`<div class="card"><p>Confluence answered ${status}.</p></div>`);
  if (!canEditPage(page)) return layout(ctx, page.title, html`<div class="card"><p role="alert">You don't have permission to edit this page. <a href="/wiki/pages/${page.id}">View it</a></p></div>`);
  const macros = modulesOf(ctx, 'macro').map((mod) => ({
    key: mod.key,
    title: mod.title,
    extensionKey: `${ctx.site.manifest.appId.split('/').pop()}/${APP_IDS.environmentId}/static/${mod.key}`,
    extensionId: `ari:cloud:ecosystem::extension/${ctx.site.manifest.appId.split('/').pop()}/${APP_IDS.environmentId}/static/${mod.key}`,
  }));
  const data = { id: page.id, title: page.title, version: page.version.number, adf: page.body?.atlas_doc_format ? (JSON.parse(page.body.atlas_doc_format.value) as unknown) : { type: 'doc', version: 1, content: [] }, macros };
  layout(ctx, `Edit ${page.title}`, html`<div class="card"><div class="crumbs">Editing page ${page.id}</div>
    <input type="text" id="page-title" aria-label="Title" value="${page.title}"/>
    <div id="editor"></div>
    <p id="editor-status" role="status"></p>
    <p><button class="primary" id="publish">Publish</button> <a href="/wiki/pages/${page.id}">Cancel</a></p></div>
    <script type="application/json" id="page-data">${new Html(JSON.stringify(data).replace(/</g, '\\u003c'))}</script>
    <script src="/__site/public/editor.js" defer></script>`);
}

async function moduleScreen(ctx: Ctx, moduleKey: string, type: string, extension: Record<string, unknown>): Promise<void> {
  const mod = ctx.site.manifest.uiModules.find((x) => x.key === moduleKey && x.type === type);
  if (!mod) return layout(ctx, 'Not found', html`<div class="card"><p>No ${type} module ${moduleKey} in the app.</p></div>`);
  layout(ctx, mod.title, html`<div class="card"><div class="crumbs">${type === 'jira:adminPage' ? 'Jira settings / Apps' : 'Apps'}</div>${forgeFrame(ctx, mod, extension)}</div>`);
}

type Named = { id?: string; key?: string; name?: string; displayName?: string } | null | undefined;
/** What the issue screens read of the site's own Jira answer (the fields it renders). */
interface IssueJson {
  id: string;
  key: string;
  fields: { summary?: string; status?: { name?: string; statusCategory?: { key?: string } }; assignee?: Named; reporter?: Named; priority?: Named; resolution?: Named; issuetype?: Named; project?: Named; labels?: string[]; [field: string]: unknown };
}

async function projects(ctx: Ctx): Promise<void> {
  const out = await product(ctx, 'jira', 'GET', '/rest/api/3/project/search?maxResults=50');
  const values = ((out.body as { values?: { key: string; name: string }[] })?.values ?? []);
  layout(ctx, 'Jira', html`<div class="card"><p><a href="/jira/dashboards">Dashboards</a></p><h1>Projects</h1><ul>${values.map((pr) => html`<li><a href="/jira/projects/${pr.key}">${pr.name}</a> <span class="muted">${pr.key}</span></li>`)}</ul></div>`);
}

async function projectView(ctx: Ctx, key: string): Promise<void> {
  const pr = await product(ctx, 'jira', 'GET', `/rest/api/3/project/${encodeURIComponent(key)}`);
  if (pr.status !== 200) return layout(ctx, 'Not found', html`<div class="card"><p>There is no project ${key} that you can see.</p></div>`);
  const proj = pr.body as { key: string; name: string };
  const found = await product(ctx, 'jira', 'POST', '/rest/api/3/search/jql', { jql: `project = "${proj.key}" ORDER BY created DESC`, maxResults: 100, fields: ['summary', 'status', 'assignee', 'priority', 'issuetype'] });
  const issues = ((found.body as { issues?: IssueJson[] })?.issues ?? []);
  const tabs = modulesOf(ctx, 'jira:projectPage');
  layout(ctx, proj.name, html`<div class="card"><div class="crumbs">Jira / ${proj.key}</div><h1>${proj.name}</h1>
    ${tabs.length ? html`<p>${tabs.map((mod) => html`<a href="/jira/projects/${proj.key}/apps/${mod.key}">${mod.title}</a> `)}</p>` : ''}
    <table class="list"><thead><tr><th>Key</th><th>Summary</th><th>Status</th><th>Assignee</th><th>Priority</th></tr></thead>
    <tbody>${issues.map((i) => html`<tr><td><a href="/jira/browse/${i.key}">${i.key}</a></td><td>${i.fields.summary}</td><td>${lozenge(i.fields.status)}</td><td>${i.fields.assignee?.displayName ?? 'Unassigned'}</td><td>${i.fields.priority?.name ?? ''}</td></tr>`)}</tbody></table></div>`);
}

async function projectApp(ctx: Ctx, key: string, moduleKey: string): Promise<void> {
  const pr = await product(ctx, 'jira', 'GET', `/rest/api/3/project/${encodeURIComponent(key)}`);
  if (pr.status !== 200) return layout(ctx, 'Not found', html`<div class="card"><p>There is no project ${key} that you can see.</p></div>`);
  const proj = pr.body as { id: string; key: string; projectTypeKey?: string };
  return moduleScreen(ctx, moduleKey, 'jira:projectPage', { project: { id: proj.id, key: proj.key, type: proj.projectTypeKey ?? 'software' } });
}

function lozenge(status: { name?: string; statusCategory?: { key?: string } } | undefined): Html {
  return html`<span class="status-lozenge ${status?.statusCategory?.key ?? ''}">${status?.name ?? ''}</span>`;
}

async function issueView(ctx: Ctx, key: string): Promise<void> {
  const out = await product(ctx, 'jira', 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}?fields=*all&properties=*all`);
  if (out.status !== 200) return layout(ctx, 'Not found', html`<div class="card"><p>Issue does not exist or you do not have permission to see it.</p></div>`);
  const issue = out.body as IssueJson & { properties?: Record<string, unknown> };
  const f = issue.fields;
  const [transitions, links, comments] = await Promise.all([
    product(ctx, 'jira', 'GET', `/rest/api/3/issue/${issue.key}/transitions`),
    product(ctx, 'jira', 'GET', `/rest/api/3/issue/${issue.key}/remotelink`),
    product(ctx, 'jira', 'GET', `/rest/api/3/issue/${issue.key}/comment?maxResults=100`),
  ]);
  const ext = { issue: { id: issue.id, key: issue.key, type: f.issuetype?.name }, project: { id: f.project?.id, key: f.project?.key } };
  const panels = [...modulesOf(ctx, 'jira:issuePanel'), ...modulesOf(ctx, 'jira:issueGlance'), ...modulesOf(ctx, 'jira:issueContext')];
  const actions = modulesOf(ctx, 'jira:issueAction');
  const error = ctx.url.searchParams.get('error');
  const remote = ((links.body as { id: number; object: { url: string; title: string } }[]) ?? []);
  const commentList = ((comments.body as { comments?: { id: string; author?: { displayName?: string }; body: unknown; created: string }[] })?.comments ?? []);
  const issueLinks = (f.issuelinks ?? []) as { type: { inward: string; outward: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } }[];
  layout(ctx, issue.key, html`<div class="card"><div class="crumbs"><a href="/jira/projects/${f.project?.key}">${f.project?.name}</a> / ${issue.key}</div>
    <h1 id="issue-summary">${f.summary}</h1>
    ${error ? html`<p class="error" role="alert" id="issue-error">${linkifySiteUrls(error, ctx.site.baseUrl)}</p>` : ''}
    <div class="grid2"><div>
      <div class="issue-description">${adfToHtml(namedMentions(ctx, f.description))}</div>
      ${actions.length ? html`<p>${actions.map((mod) => html`<a href="/jira/browse/${issue.key}?action=${mod.key}">${mod.title}</a> `)}</p>` : ''}
      ${actions.filter((mod) => ctx.url.searchParams.get('action') === mod.key).map((mod) => forgeFrame(ctx, mod, ext))}
      ${panels.map((mod) => html`<div class="macro"><div class="macro-label">${mod.title}</div>${forgeFrame(ctx, mod, ext)}</div>`)}
      <h2>Links</h2>
      <ul id="issue-links">${issueLinks.map((l) => (l.outwardIssue ? html`<li>${l.type.outward} <a href="/jira/browse/${l.outwardIssue.key}">${l.outwardIssue.key}</a></li>` : html`<li>${l.type.inward} <a href="/jira/browse/${l.inwardIssue?.key}">${l.inwardIssue?.key}</a></li>`))}
      ${remote.map((l) => html`<li><a href="${/^(https?:|\/)/.test(l.object.url) ? l.object.url : '#'}">${l.object.title}</a></li>`)}</ul>
      <h2>Comments</h2>
      <div id="comments">${commentList.map((c) => html`<div class="comment"><strong>${c.author?.displayName ?? ''}</strong> <span class="muted">${c.created}</span>${adfToHtml(namedMentions(ctx, c.body))}</div>`)}</div>
      <form method="post" action="/__site/jira/comment"><input type="hidden" name="key" value="${issue.key}"/><textarea name="text" aria-label="Add a comment" rows="3" style="width:100%"></textarea><p><button type="submit">Comment</button></p></form>
    </div><div>
      <form method="post" action="/__site/jira/transition" id="transition-form"><input type="hidden" name="key" value="${issue.key}"/>
        ${lozenge(f.status)} <select name="transitionId" aria-label="Transition">${((transitions.body as { transitions?: { id: string; name: string }[] })?.transitions ?? []).map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select>
        <button type="submit">Move</button></form>
      <dl class="fields">
        <dt>Assignee</dt><dd id="issue-assignee">${f.assignee?.displayName ?? 'Unassigned'}</dd>
        <dt>Reporter</dt><dd>${f.reporter?.displayName ?? ''}</dd>
        <dt>Priority</dt><dd id="issue-priority">${f.priority?.name ?? 'None'}</dd>
        <dt>Due date</dt><dd>${f.duedate ?? 'None'}</dd>
        <dt>Labels</dt><dd>${(f.labels ?? []).join(', ') || 'None'}</dd>
        <dt>Resolution</dt><dd>${f.resolution?.name ?? 'Unresolved'}</dd>
        <dt>Created</dt><dd>${f.created}</dd><dt>Updated</dt><dd>${f.updated}</dd>
        ${Object.entries(issue.properties ?? {}).map(([k, v]) => html`<dt>Property ${k}</dt><dd><code>${JSON.stringify(v)}</code></dd>`)}
      </dl>
    </div></div></div>`);
}

/** The SMTP catcher's inbox: every email the app's sendEmail relayed to the site, newest first. */
function inbox(ctx: Ctx): void {
  const { site } = ctx;
  const catcher = site.mail.address;
  const messages = [...site.state.platform.outbox].reverse();
  layout(ctx, 'Inbox', html`<div class="card"><h1>Inbox</h1>
    <p class="muted">${catcher ? html`The site's SMTP catcher listens on <code>${catcher.host}:${catcher.port}</code>: set the app's SMTP server to <code>localhost</code> and this port (Jira → Apps → Postmortem Follow-Through).${site.mail.auth ? html` It requires a login: SMTP user name <code>${site.mail.auth.user}</code> and the password in <code>$SMTP_PASS</code>.` : ''}` : 'The SMTP catcher is not running (npm start runs it on port 2525, or $SMTP_PORT).'}</p>
    ${messages.length ? '' : html`<p id="inbox-empty">No email yet.</p>`}
    ${messages.map((m) => html`<article class="email" data-message-id="${m.messageId ?? ''}"><h2 class="email-subject">${m.subject}</h2>
      <p class="muted">From ${m.from ?? ''} · to ${m.to.join(', ')}${m.cc ? html` · cc ${m.cc}` : ''} · ${m.at.slice(0, 16).replace('T', ' ')} UTC · <code>${m.messageId ?? ''}</code></p>
      ${m.html ? html`<iframe class="email-html" sandbox="" title="${m.subject}" srcdoc="${m.html}" style="width:100%;min-height:320px;border:1px solid #dfe1e6"></iframe>` : html`<pre class="email-text">${String(m.body ?? '')}</pre>`}
      ${m.html ? html`<details><summary>Plain text</summary><pre class="email-text">${String(m.body ?? '')}</pre></details>` : ''}</article>`)}
  </div>`);
}

function platform(ctx: Ctx): void {
  const { site } = ctx;
  layout(ctx, 'Forge platform', html`<div class="card"><h1>Forge platform</h1>
    <h2>Clock</h2><p>Site time: ${site.now().toISOString()}</p>
    <form method="post" action="/__site/clock/advance"><input type="hidden" name="back" value="/__site/platform"/>
      <button type="submit" name="days" value="1">Advance 1 day</button> <button type="submit" name="days" value="7">Advance 1 week</button></form>
    <h2>Scheduled triggers</h2>
    <ul>${site.manifest.scheduledTriggers.map((t) => html`<li>${t.key} (${t.interval}), last run ${new Date(site.state.platform.lastTriggerRun[t.key] ?? 0).toISOString()}
      <form method="post" action="/__site/triggers/${t.key}/run" style="display:inline"><button type="submit">Run now</button></form></li>`)}</ul>
    <h2>Installations</h2>
    <ul id="installations">${site.installations.map((i) => html`<li><code>${i.id}</code> in <code>${i.installContext}</code>: ${i.apps.join(' and ')}</li>`)}</ul>
    ${site.manifest.compatibility?.jira?.required === false
      ? html`<form method="post" action="/__site/connect" id="connect-jira"><input type="hidden" name="app" value="jira"/>
      <p>Jira (optional in the manifest's <code>app.compatibility</code>) is ${site.installations[0].apps.includes('jira') ? 'connected' : 'not connected'}.
      <button type="submit" name="connected" value="${site.installations[0].apps.includes('jira') ? 'false' : 'true'}">${site.installations[0].apps.includes('jira') ? 'Disconnect Jira' : 'Connect Jira'}</button></p></form>`
      : ''}
    <h2>App version</h2><p id="app-version">Deployed: ${site.state.platform.appVersion ? `${site.state.platform.appVersion.major}.${site.state.platform.appVersion.minor}.0` : '—'}. A restart with changed code is a minor version (no event, as on Cloud); changed permissions make a major version, which sends <code>avi:forge:upgraded:app</code>.</p>
    <form method="post" action="/__site/deploy-major"><button type="submit">Deploy a major version</button></form>
    <h2>Queue</h2><p>${site.state.platform.queue.length} events waiting.</p>
    <h2>Requests</h2><table class="list"><tbody>${Object.entries(site.log.byEndpoint()).map(([k, n]) => html`<tr><td><code>${k}</code></td><td>${n}</td></tr>`)}</tbody></table>
    <p>Contract violations: ${site.contractViolations.length}; unserved requests: ${site.unservedRequests.length}. <a href="/__site/log">JSON</a></p></div>`);
}

// ---------------------------------------------------------------- issue 16: workflows

/**
 * Jira administration → Workflows: each project's workflow, its transitions, and the app validators on them.
 * Only Jira administrators may change them (the form action checks again: local-site/jira/workflows.ts).
 */
function workflowsScreen(ctx: Ctx): void {
  const { site } = ctx;
  const admin = site.state.users.some((u) => u.accountId === ctx.user && u.siteAdmin);
  if (!admin) return layout(ctx, 'Workflows', html`<div class="card"><h1>Workflows</h1><p role="alert" id="workflows-forbidden">Only Jira administrators can view and change workflows.</p></div>`);
  const jira = site.state.jira;
  const chosen = jira.projects.find((pr) => pr.key === ctx.url.searchParams.get('project')) ?? jira.projects[0];
  const error = ctx.url.searchParams.get('error');
  const validators = site.manifest.workflowValidators;
  const nameOf = (key: string) => validators.find((v) => v.key === key)?.name ?? `${key} (app not installed)`;
  layout(ctx, 'Workflows', html`<div class="card"><div class="crumbs">Jira administration / Workflows</div><h1>${chosen.key} workflow</h1>
    <p>${jira.projects.map((pr) => html`<a href="/jira/settings/workflows?project=${pr.key}">${pr.key} workflow</a> `)}</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    <p class="muted">Every status can be reached from every other (the site's workflows are global transitions). Validators run when an issue takes the transition; if one refuses, the issue stays where it is and Jira shows its message.</p>
    <table class="list" id="workflow-transitions"><thead><tr><th>Transition</th><th>Validators</th><th>Add a validator</th></tr></thead><tbody>
    ${jira.statuses.map((st) => {
      const rules = rulesFor(jira, chosen.key, st.id);
      return html`<tr data-transition="${st.name}"><td>→ ${st.name}</td>
        <td>${rules.length ? rules.map((r) => html`<form method="post" action="/__site/jira/workflow-rule" class="inline workflow-rule"><input type="hidden" name="projectKey" value="${chosen.key}"/><input type="hidden" name="remove" value="${r.id}"/>${nameOf(r.validatorKey)} <button type="submit" aria-label="Remove ${nameOf(r.validatorKey)} from → ${st.name}">Remove</button></form>`) : html`<span class="muted">None</span>`}</td>
        <td>${validators.length ? html`<form method="post" action="/__site/jira/workflow-rule" class="inline"><input type="hidden" name="projectKey" value="${chosen.key}"/><input type="hidden" name="transitionId" value="${st.id}"/>
          <select name="validatorKey" aria-label="Validator for → ${st.name}">${validators.map((v) => html`<option value="${v.key}" title="${v.description}">${v.name}</option>`)}</select>
          <button type="submit" aria-label="Add validator to → ${st.name}">Add</button></form>` : html`<span class="muted">No app provides validators</span>`}</td></tr>`;
    })}</tbody></table></div>`);
}

/** Jira shows a validator's message as text; the site makes URLs of this very site clickable in it (never another origin). */
function linkifySiteUrls(text: string, baseUrl: string): Html {
  const origin = new URL(baseUrl).origin;
  const parts = text.split(/(https?:\/\/[^\s]+)/g);
  return new Html(parts.map((part, i) => {
    if (i % 2 === 0) return html`${part}`.value;
    const trimmed = part.replace(/[.,;:)]+$/, '');
    const tail = part.slice(trimmed.length);
    let sameSite = false;
    try {
      sameSite = new URL(trimmed).origin === origin;
    } catch {
      sameSite = false;
    }
    return sameSite ? html`<a href="${trimmed}">${trimmed}</a>${tail}`.value : html`${part}`.value;
  }).join(''));
}

// ---------------------------------------------------------------- form actions

async function formAction(ctx: Ctx): Promise<void> {
  const p = ctx.url.pathname;
  const form = await readForm(ctx.req);
  if (p === '/__site/wiki/create-page') {
    const out = await product(ctx, 'confluence', 'POST', '/wiki/api/v2/pages', {
      spaceId: form.get('spaceId'),
      status: 'current',
      title: form.get('title') ?? '',
      body: { representation: 'atlas_doc_format', value: JSON.stringify({ type: 'doc', version: 1, content: [] }) },
    });
    if (out.status === 200) return redirect(ctx.res, `/wiki/pages/${(out.body as { id: string }).id}/edit`);
    return redirect(ctx.res, `/wiki/spaces/${encodeURIComponent(form.get('spaceKey') ?? '')}?error=${encodeURIComponent(errorText(out))}`);
  }
  if (p === '/__site/jira/transition') {
    const key = form.get('key') ?? '';
    const out = await product(ctx, 'jira', 'POST', `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`, { transition: { id: form.get('transitionId') } });
    return redirect(ctx.res, `/jira/browse/${encodeURIComponent(key)}${out.status >= 300 ? `?error=${encodeURIComponent(errorText(out))}` : ''}`);
  }
  // issue 16: a Jira admin adds or removes an app's validator on a workflow transition.
  if (p === '/__site/jira/workflow-rule') {
    const actor: Actor = { kind: 'user', accountId: ctx.user };
    const out = form.get('remove')
      ? removeRule(ctx.site.state.jira, ctx.site.state.users, actor, form.get('remove') ?? '')
      : addRule(ctx.site.state.jira, ctx.site.state.users, actor, { projectKey: form.get('projectKey') ?? '', transitionId: form.get('transitionId') ?? '', validatorKey: form.get('validatorKey') ?? '' }, ctx.site.manifest.workflowValidators.map((v) => v.key), ctx.site.now());
    if (out.ok) ctx.site.markDirty();
    const back = `/jira/settings/workflows?project=${encodeURIComponent(form.get('projectKey') ?? '')}`;
    if (!out.ok && out.status === 403) return send(ctx.res, 403, MIME['.html'], html`<p role="alert">${out.message} <a href="/jira/settings/workflows">Back</a></p>`.value);
    return redirect(ctx.res, out.ok ? back : `${back}&error=${encodeURIComponent(out.message)}`);
  }
  if (p === '/__site/jira/comment') {
    const key = form.get('key') ?? '';
    const text = (form.get('text') ?? '').trim();
    const body = { type: 'doc', version: 1, content: text.split(/\n{2,}/).map((para) => ({ type: 'paragraph', content: [{ type: 'text', text: para }] })) };
    const out = text ? await product(ctx, 'jira', 'POST', `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, { body }) : { status: 200 };
    return redirect(ctx.res, `/jira/browse/${encodeURIComponent(key)}${out.status >= 300 ? `?error=${encodeURIComponent(errorText(out))}` : ''}`);
  }
  if (p === '/__site/jira/dashboard/create') return createDashboard(ctx, form);
  if (p === '/__site/jira/dashboard/add-gadget') return addGadget(ctx, form);
  if (p === '/__site/jira/dashboard/remove-gadget') return removeGadget(ctx, form);
  send(ctx.res, 404, 'text/plain', `No action ${esc(p)}`);
}

function errorText(out: SiteResponse): string {
  const b = out.body as { errorMessages?: string[]; errors?: Record<string, string> | { title?: string }[]; message?: string } | undefined;
  if (b?.errorMessages?.length) return b.errorMessages.join(' ');
  if (Array.isArray(b?.errors)) return b.errors.map((e) => e.title).join(' ');
  if (b?.errors && Object.keys(b.errors).length) return Object.values(b.errors).join(' ');
  return b?.message ?? `Failed with ${out.status}`;
}

// ---------------------------------------------------------------- Jira dashboards (issue 16)
//
// Jira's dashboards host `jira:dashboardGadget` modules: each gadget shows its view resource; the dashboard's
// owner adds a gadget (Jira then opens its edit view), configures it (the edit resource, told by
// `extension.entryPoint: 'edit'`; `view.submit(config)` saves the configuration with the gadget and returns to
// the view), and removes it. Every gadget's frame gets the saved configuration as
// `extension.gadgetConfiguration`, plus `extension.gadget.id` and `extension.dashboard.id`. Everyone may view a
// dashboard (shared with all, as Jira's default dashboard); only its owner changes it.
// Guesses, stricter than Cloud may be: a configuration must be a JSON object of at most 32 KB (Cloud keeps it
// as a dashboard item property, whose documented limit is 32 KB); the exact context field names follow
// developer.atlassian.com/platform/forge/manifest-reference/modules/jira-dashboard-gadget.

const GADGET_CONFIG_MAX_BYTES = 32_768;

function dashboards(ctx: Ctx): JiraDashboard[] {
  return (ctx.site.state.jira.dashboards ??= []);
}

function dashboardList(ctx: Ctx): void {
  const list = dashboards(ctx);
  layout(ctx, 'Dashboards', html`<div class="card"><div class="crumbs">Jira / Dashboards</div><h1>Dashboards</h1>
    <ul id="dashboards">${list.map((d) => html`<li><a href="/jira/dashboards/${d.id}">${d.name}</a> <span class="muted">owner ${ctx.site.state.users.find((u) => u.accountId === d.ownerAccountId)?.displayName ?? ''} · ${d.gadgets.length} gadget${d.gadgets.length === 1 ? '' : 's'}</span></li>`)}</ul>
    <h2>Create dashboard</h2>
    <form method="post" action="/__site/jira/dashboard/create"><label>Name <input type="text" name="name" required maxlength="255"/></label> <button type="submit" class="primary">Create</button></form></div>`);
}

function gadgetExtension(mod: UiModule, dashboard: JiraDashboard, gadget: JiraDashboardGadget, edit: boolean): Record<string, unknown> {
  return {
    gadget: { id: gadget.id },
    dashboard: { id: dashboard.id },
    gadgetConfiguration: gadget.configuration ?? {},
    ...(edit ? { entryPoint: 'edit' } : {}),
  };
}

function dashboardView(ctx: Ctx, id: string): void {
  const dashboard = dashboards(ctx).find((d) => d.id === id);
  if (!dashboard) return layout(ctx, 'Not found', html`<div class="card"><p>There is no dashboard ${id}.</p></div>`);
  const owner = dashboard.ownerAccountId === ctx.user;
  const editing = owner ? ctx.url.searchParams.get('edit') : null;
  const gadgetModules = modulesOf(ctx, 'jira:dashboardGadget');
  const error = ctx.url.searchParams.get('error');
  const gadgets = dashboard.gadgets.map((g) => {
    const mod = gadgetModules.find((x) => x.key === g.moduleKey);
    if (!mod) return html`<section class="card gadget" aria-label="Unavailable gadget"><p class="muted">This gadget's app is not installed.</p></section>`;
    const edit = editing === g.id;
    const frame = forgeFrame(ctx, mod, gadgetExtension(mod, dashboard, g, edit), `${dashboard.id}-${g.id}`, {
      resource: edit ? (mod.editResource ?? mod.resource) : mod.resource,
      attributes: edit ? html`data-gadget-edit="true" data-gadget-done="/jira/dashboards/${dashboard.id}"` : undefined,
    });
    return html`<section class="card gadget" data-gadget-id="${g.id}" aria-labelledby="gadget-title-${g.id}">
      <h2 id="gadget-title-${g.id}">${mod.title}${edit ? ' — configure' : ''}</h2>
      ${owner && !edit && mod.editResource ? html`<p><a href="/jira/dashboards/${dashboard.id}?edit=${g.id}" class="gadget-configure">Configure</a></p>` : ''}
      ${frame}
      ${owner ? html`<form method="post" action="/__site/jira/dashboard/remove-gadget"><input type="hidden" name="dashboardId" value="${dashboard.id}"/><input type="hidden" name="gadgetId" value="${g.id}"/><button type="submit" class="link">Remove gadget</button></form>` : ''}
    </section>`;
  });
  layout(ctx, dashboard.name, html`<div class="card"><div class="crumbs"><a href="/jira/dashboards">Dashboards</a> / ${dashboard.name}</div><h1>${dashboard.name}</h1>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${owner && gadgetModules.length ? html`<form method="post" action="/__site/jira/dashboard/add-gadget" id="add-gadget"><input type="hidden" name="dashboardId" value="${dashboard.id}"/>
      <label>Add gadget <select name="moduleKey">${gadgetModules.map((mod) => html`<option value="${mod.key}">${mod.title}</option>`)}</select></label> <button type="submit">Add</button></form>` : ''}
    ${owner ? '' : html`<p class="muted">Only the dashboard's owner can add or configure gadgets.</p>`}
    ${dashboard.gadgets.length ? '' : html`<p id="dashboard-empty">No gadgets yet.</p>`}</div>
    <div class="dashboard-gadgets">${gadgets}</div>`);
}

function createDashboard(ctx: Ctx, form: URLSearchParams): void {
  const name = (form.get('name') ?? '').trim().slice(0, 255);
  if (!name) return redirect(ctx.res, '/jira/dashboards');
  const list = dashboards(ctx);
  const id = String(Math.max(9999, ...list.map((d) => Number(d.id))) + 1);
  list.push({ id, name, ownerAccountId: ctx.user, gadgets: [] });
  ctx.site.markDirty();
  redirect(ctx.res, `/jira/dashboards/${id}`);
}

function ownedDashboard(ctx: Ctx, id: string | null): JiraDashboard | string {
  const dashboard = dashboards(ctx).find((d) => d.id === id);
  if (!dashboard) return 'There is no such dashboard.';
  if (dashboard.ownerAccountId !== ctx.user) return 'Only the dashboard’s owner can change it.';
  return dashboard;
}

function addGadget(ctx: Ctx, form: URLSearchParams): void {
  const dashboard = ownedDashboard(ctx, form.get('dashboardId'));
  if (typeof dashboard === 'string') return redirect(ctx.res, `/jira/dashboards/${encodeURIComponent(form.get('dashboardId') ?? '')}?error=${encodeURIComponent(dashboard)}`);
  const mod = modulesOf(ctx, 'jira:dashboardGadget').find((x) => x.key === form.get('moduleKey'));
  if (!mod) return redirect(ctx.res, `/jira/dashboards/${dashboard.id}?error=${encodeURIComponent('No such gadget.')}`);
  const id = String(Math.max(9999, ...dashboards(ctx).flatMap((d) => d.gadgets.map((g) => Number(g.id)))) + 1);
  dashboard.gadgets.push({ id, moduleKey: mod.key });
  ctx.site.markDirty();
  // Jira opens a new configurable gadget in its edit view.
  redirect(ctx.res, `/jira/dashboards/${dashboard.id}${mod.editResource ? `?edit=${id}` : ''}`);
}

function removeGadget(ctx: Ctx, form: URLSearchParams): void {
  const dashboard = ownedDashboard(ctx, form.get('dashboardId'));
  if (typeof dashboard === 'string') return redirect(ctx.res, `/jira/dashboards?error=${encodeURIComponent(dashboard)}`);
  dashboard.gadgets = dashboard.gadgets.filter((g) => g.id !== form.get('gadgetId'));
  ctx.site.markDirty();
  redirect(ctx.res, `/jira/dashboards/${dashboard.id}`);
}

/** `view.submit(config)` from a gadget's edit frame: only that frame, for the dashboard's owner, with a JSON object. */
function saveGadgetConfiguration(ctx: Ctx, frameId: unknown, configuration: unknown): { status: number; error?: string } {
  const frame = ctx.frames.get(frameId);
  if (!frame || frame.accountId !== ctx.user) return { status: 403, error: 'This app frame is not open for you here; reload the page.' };
  const ext = frame.extension as { type?: string; entryPoint?: string; gadget?: { id?: string }; dashboard?: { id?: string } };
  if (ext.type !== 'jira:dashboardGadget' || ext.entryPoint !== 'edit') return { status: 403, error: 'Only a gadget’s edit view can submit its configuration.' };
  const dashboard = ownedDashboard(ctx, ext.dashboard?.id ?? null);
  if (typeof dashboard === 'string') return { status: 403, error: dashboard };
  const gadget = dashboard.gadgets.find((g) => g.id === ext.gadget?.id);
  if (!gadget) return { status: 404, error: 'This gadget is no longer on the dashboard.' };
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) return { status: 400, error: 'A gadget configuration is a JSON object.' };
  if (Buffer.byteLength(JSON.stringify(configuration), 'utf8') > GADGET_CONFIG_MAX_BYTES) return { status: 400, error: 'This gadget configuration is too large.' };
  gadget.configuration = configuration as Record<string, unknown>;
  ctx.site.markDirty();
  return { status: 200 };
}
