/**
 * Browser tests: the local site served on a free port (in memory), driven by Playwright in Debian's
 * chromium. Every page error or failed bridge call fails the test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { LocalSite } from '../../../local-site/site';
import { startSiteServers, type SiteServers } from '../../../local-site/web/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserSite {
  site: LocalSite;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context signed in as this user (cookie `site-user`). */
  pageAs(accountId: string): Promise<Page>;
  pageErrors: string[];
}

/** `startAt`: the site clock's start (default: now), for tests that count days. */
export function useBrowserSite(options: { startAt?: Date } = {}): () => BrowserSite {
  let state: BrowserSite | undefined;
  let servers: SiteServers | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (bash .ci/run does) or set CHROMIUM_PATH.`);
    const site = new LocalSite({ stateFile: null, startAt: options.startAt }).install();
    // The product on one port, the Custom UI resources on another (another origin), as on Cloud.
    servers = await startSiteServers(site);
    const baseUrl = site.baseUrl;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const pageErrors: string[] = [];
    state = {
      site,
      baseUrl,
      browser,
      pageErrors,
      async pageAs(accountId: string) {
        const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1200, height: 900 } });
        contexts.push(context);
        await context.addCookies([{ name: 'site-user', value: encodeURIComponent(accountId), url: baseUrl }]);
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(e.message));
        // A Content-Security-Policy refusal in any frame (Chromium logs it to the console) fails the test.
        page.on('console', (m) => {
          if (/Content Security Policy|sandboxed|Refused to/i.test(m.text())) pageErrors.push(m.text());
        });
        return page;
      },
    };
  }, 60_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    expect(state?.pageErrors ?? []).toEqual([]);
    expect(state?.site.contractViolations ?? []).toEqual([]);
    expect(state?.site.unservedRequests ?? []).toEqual([]);
    expect(state?.site.cspViolations ?? []).toEqual([]);
  });

  afterAll(async () => {
    await state?.browser.close();
    state?.site.close();
    await servers?.close();
  });

  return () => state!;
}

/**
 * Where a browser test saves a screenshot: the README's docs/screenshots when UPDATE_SCREENSHOTS is set
 * (`npm run screenshots`), otherwise a temporary folder, so a test run never changes tracked files.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.UPDATE_SCREENSHOTS ? path.join(__dirname, '..', '..', '..', 'docs', 'screenshots') : path.join(os.tmpdir(), 'pft-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
