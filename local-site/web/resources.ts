/**
 * The Custom UI resources, served as Atlassian serves them: from an origin other than the product page
 * (Forge's CDN; here another port), under the Content-Security-Policy Forge applies, in an iframe with the
 * sandbox Forge documents. The policy is built by Atlassian's own @forge/csp (CSPProcessingService reads the
 * manifest's `permissions.content` / `permissions.external`, CSPInjectionService adds Forge's fixed sources),
 * so inline styles need `permissions.content.styles: ['unsafe-inline']` and client-side fetches need
 * `permissions.external.fetch.client`, as on Cloud.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'cheerio';
import { CSPInjectionService, CSPProcessingService } from '@forge/csp';
import type { Permissions } from '@forge/manifest';
import type { LocalSite } from '../site';
import { themeCss } from './theme';

/**
 * The iframe's sandbox, as developer.atlassian.com/platform/forge/custom-ui/iframe lists it: no popups, no
 * top navigation (the app navigates through the bridge's router).
 */
export const CUSTOM_UI_SANDBOX = 'allow-downloads allow-forms allow-modals allow-pointer-lock allow-same-origin allow-scripts';
/** The iframe's feature policy from the same page. */
export const CUSTOM_UI_ALLOW = 'camera; clipboard-write; display-capture; fullscreen; microphone';
/** Where the resources' CSP violation reports go (the real policy reports to Atlassian). */
export const CSP_REPORT_PATH = '/__site/csp-report';

const PUBLIC_DIR = path.join(__dirname, 'public');
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

/** The Content-Security-Policy header Forge would send with this resource HTML, for the product at `productOrigin`. */
export function contentSecurityPolicy(permissions: Permissions, html: string, productOrigin: string, reportUri: string): string {
  const details = new CSPProcessingService({ info: () => undefined }, load).getCspDetails(html, permissions);
  const directives = new CSPInjectionService().getInjectableCSP({ existingCSPDetails: details, microsEnv: 'prod', hostname: productOrigin });
  return directives.map((d) => (d.startsWith('report-uri ') ? `report-uri ${reportUri}` : d)).join('; ');
}

/** A browser's CSP report in one line: what was refused, where, under which directive. */
function describeViolation(text: string): string {
  try {
    const r = (JSON.parse(text) as { 'csp-report'?: Record<string, unknown> })['csp-report'] ?? {};
    return `${String(r['document-uri'])}: ${String(r['violated-directive'])} refused ${String(r['blocked-uri'])} (${String(r['source-file'] ?? '')}:${String(r['line-number'] ?? '')}) ${String(r['script-sample'] ?? '')}`;
  } catch {
    return text.slice(0, 500);
  }
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

/** The resource origin's server: the app's static bundles, the bridge script the host injects, CSP reports. */
export function createResourceServer(site: LocalSite): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    try {
      if (p === CSP_REPORT_PATH && req.method === 'POST') {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          site.cspViolations.push(describeViolation(Buffer.concat(chunks).toString('utf8')));
          send(res, 204, 'text/plain', '');
        });
        return;
      }
      if (p === '/__site/bridge-client.js') {
        return send(res, 200, MIME['.js'], fs.readFileSync(path.join(PUBLIC_DIR, 'bridge-client.js')));
      }
      // The design-token CSS the bridge links into a frame that enabled theming (Cloud: from Forge's CDN).
      const tokens = /^\/__site\/tokens\/([a-z-]+)\.css$/.exec(p);
      if (tokens) {
        const css = themeCss(tokens[1]);
        return css === undefined ? send(res, 404, 'text/plain', 'No such theme') : send(res, 200, MIME['.css'], css);
      }
      const resource = /^\/__site\/resources\/([^/]+)\/(.*)$/.exec(p);
      if (resource) return serveResource(site, res, decodeURIComponent(resource[1]), resource[2] || 'index.html');
      send(res, 404, 'text/plain', 'Not found');
    } catch (e) {
      console.error('[local-site] resource request failed', req.url, e);
      if (!res.headersSent) send(res, 500, 'text/plain', 'Resource server error');
    }
  });
}

function serveResource(site: LocalSite, res: http.ServerResponse, resourceKey: string, file: string): void {
  const dir = site.manifest.resources.get(resourceKey);
  if (!dir) return send(res, 404, 'text/plain', `No resource '${resourceKey}' in the manifest`);
  const base = path.resolve(site.manifest.root, dir);
  const target = path.resolve(base, file);
  if (!target.startsWith(base + path.sep) && target !== base) return send(res, 403, 'text/plain', 'Forbidden');
  if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
    return send(res, 404, 'text/plain', `Not found: ${file}${fs.existsSync(base) ? '' : ` (resource folder ${dir} is missing: run npm run build)`}`);
  }
  const type = MIME[path.extname(target)] ?? 'application/octet-stream';
  if (path.extname(target) !== '.html') return send(res, 200, type, fs.readFileSync(target));
  // The Atlassian host makes __bridge available before the app's scripts run; so does this (from 'self').
  const htmlText = fs.readFileSync(target, 'utf8').replace(/<head>/i, '<head><script src="/__site/bridge-client.js"></script>');
  const csp = contentSecurityPolicy(site.manifest.permissions, htmlText, site.baseUrl, CSP_REPORT_PATH);
  send(res, 200, type, htmlText, { 'content-security-policy': csp });
}
