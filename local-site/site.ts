/**
 * The local Atlassian site: Jira, Confluence and the Forge platform in one process, serving the app's
 * unmodified production code through the same seams the real platform uses (`__forge_fetch__`,
 * `__forge_runtime__`, and — in the browser — `__bridge.callBridge`).
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SiteState, QueuedEvent } from './state/types';
import type { Actor, SiteRequest, SiteResponse } from './http/types';
import { Router } from './http/router';
import { loadState, saveState, seedState } from './state/store';
import { loadManifest, INTERVAL_MS, type AppManifest } from './platform/manifest';
import { deploy, deployMajor, deploymentOf, versionString } from './platform/app-version';
import { ADMIN_ID } from './state/users';
import { FaultInjector, RequestLog, RequestTimeoutError, type FaultRule, type Product } from './platform/faults';
import { invocationStorage, runtimeFor, currentInvocation, APP_IDS, type InvocationContext } from './platform/invocation';
import { appOfModule, installationsOf, runtimeInstallation, type AtlassianApp, type Installation } from './platform/installations';
import type { KvsState } from './state/types';
import { handleKvsRequest } from './platform/kvs';
import { installSiteClock, realNow } from './platform/clock';
import { handleEmailSeam, SmtpCatcher, type SmtpCredentials } from './platform/mail';
import { closeAccount, directoryOf, renameAccount, reportAccounts, REPORT_ACCOUNTS_PATH } from './platform/privacy';
import { jiraRoutes } from './jira/routes';
import { DEFAULT_VALIDATOR_MESSAGE, rulesFor } from './jira/workflows';
import { confluenceRoutes } from './confluence/routes';
import { compileJql } from './jira/jql';
import { OpenApiContract, type ValidationIssue } from './openapi';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

export interface LocalSiteOptions {
  /** Folder with manifest.yml and src/ (default: this project). */
  appRoot?: string;
  /** Where state persists; null keeps it in memory only (tests). */
  stateFile?: string | null;
  /** 'strict' (default): every product request and response is checked against Atlassian's OpenAPI documents. */
  contract?: 'strict' | 'off';
  /** Site time to start at when seeding (default: now). */
  startAt?: Date;
  /** Base URL the site is served at (for links and web trigger URLs). */
  baseUrl?: string;
  /** The login the site's SMTP catcher requires (AUTH PLAIN or LOGIN); unset, it takes mail without one. */
  smtpAuth?: SmtpCredentials;
}

export interface ContractViolationRecord { direction: 'request' | 'response'; method: string; path: string; status?: number; issues: ValidationIssue[] }
export interface InvocationRecord { functionKey: string; moduleKey: string; kind: 'ui' | 'trigger' | 'consumer' | 'webtrigger' | 'other'; ms: number; ok: boolean }

type Handler = (...args: unknown[]) => unknown;

export class FunctionTimeoutError extends Error {
  constructor(functionKey: string, seconds: number) {
    super(`Function '${functionKey}' exceeded its ${seconds} s limit`);
    this.name = 'FunctionTimeoutError';
  }
}

/** Answer for a UI `invoke` whose function threw: what the bridge would hand back to the iframe. */
export class InvocationFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvocationFailedError';
  }
}

const MAX_CONSUMER_RETRIES = 4;
/** Queued events a tick delivers side by side (see `queueConcurrency`). */
export const QUEUE_CONCURRENCY = 8;
/**
 * Async events limits per installation (developer.atlassian.com/platform/forge/limits-async-events): push
 * requests in one chain of invocations (answered 405, which @forge/events out/validators.js turns into
 * InvocationLimitReachedError) and events pushed per minute (answered 429: RateLimitError).
 */
export const CYCLIC_INVOCATION_LIMIT = 1000;
export const EVENTS_PER_MINUTE = 500;
/** The documented time limits (developer.atlassian.com/platform/forge/limits-invocation): UI resolvers 25 s, web triggers 55 s, others their timeoutSeconds (default 55 s). */
export const UI_RESOLVER_SECONDS = 25;
const DEFAULT_FUNCTION_SECONDS = 55;

export class LocalSite {
  readonly manifest: AppManifest;
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  readonly contractViolations: ContractViolationRecord[] = [];
  /** Requests to endpoints the site does not serve: always a bug in the app or the site. */
  readonly unservedRequests: string[] = [];
  readonly invocations: InvocationRecord[] = [];
  /** asUser() calls the proxy refused because the user had not allowed access (`accountId remote path`). */
  readonly consentRefusals: string[] = [];
  /** Each personal data report the app sent (`POST /app/report-accounts`): the status answered and how many accounts it listed. */
  readonly privacyReports: { status: number; accounts: number }[] = [];
  /**
   * How many queued events run at once. The platform runs a queue's events in parallel and documents no
   * ordering or concurrency figure (developer.atlassian.com/platform/forge/runtime-reference/async-events-api),
   * so the site runs many side by side by default: exactly-once must hold without any ordering.
   */
  queueConcurrency = QUEUE_CONCURRENCY;
  /** When set, every scheduled trigger fires twice (the platform may do that). */
  duplicateTriggerFiring = false;
  /** The site's SMTP catcher (started by `startMailCatcher`): what it receives goes to the inbox (`state.platform.outbox`). */
  readonly mail: SmtpCatcher;
  baseUrl: string;
  /** The origin the Custom UI resources are served from (local-site/web/resources.ts): not the product's. */
  resourceBaseUrl: string | undefined;
  /** Content-Security-Policy violation reports from the Custom UI frames. */
  readonly cspViolations: string[] = [];
  state: SiteState;

  private readonly stateFile: string | null;
  private readonly contract: OpenApiContract | undefined;
  private readonly jira: Router;
  private readonly confluence: Router;
  private saveTimer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private ticking = false;
  private readonly handlerCache = new Map<string, Handler>();
  /** Queue pushes of the last minute (site clock), for the events-per-minute limit. */
  private recentPushes: { at: number; count: number }[] = [];

  constructor(options: LocalSiteOptions = {}) {
    const appRoot = options.appRoot ?? PROJECT_ROOT;
    this.manifest = loadManifest(path.join(appRoot, 'manifest.yml'));
    this.stateFile = options.stateFile === undefined ? path.join(PROJECT_ROOT, '.local-site', 'state.json') : options.stateFile;
    this.baseUrl = options.baseUrl ?? 'http://localhost:5173';
    this.mail = new SmtpCatcher(
      (m) => {
        this.state.platform.outbox.push({ id: randomUUID(), at: this.now().toISOString(), to: m.to, subject: m.subject, body: m.text, from: m.from, cc: m.cc, messageId: m.messageId, html: m.html });
        this.markDirty();
      },
      { auth: options.smtpAuth },
    );
    const loaded = this.stateFile ? loadState(this.stateFile) : undefined;
    this.state = loaded ?? seedState(options.startAt ?? new Date(realNow()));
    if (!loaded && options.startAt) this.state.clockOffsetMs = options.startAt.getTime() - realNow();
    this.contract = options.contract === 'off' ? undefined : OpenApiContract.load();
    const jql = (text: string, ctx: { currentUser?: string }) =>
      compileJql(text, {
        state: this.state.jira,
        users: this.state.users,
        now: this.now(),
        currentUser: ctx.currentUser,
        aliases: this.manifest.entityPropertyAliases,
      });
    this.jira = new Router(jiraRoutes({ jql, users: () => this.state.users, baseUrl: () => this.baseUrl, validateTransition: (t) => this.runWorkflowValidators(t) }));
    this.confluence = new Router(confluenceRoutes());
    this.initTriggers();
    this.recordDeployment();
  }

  // ---------- clock ----------

  now(): Date {
    return new Date(realNow() + this.state.clockOffsetMs);
  }

  /** Moves the site clock forward, firing every scheduled trigger and queued event that falls due on the way, in time order. */
  async advanceClock(ms: number): Promise<void> {
    const target = this.now().getTime() + ms;
    for (;;) {
      const next = this.nextDueAt();
      if (next === undefined || next > target) break;
      if (next > this.now().getTime()) this.state.clockOffsetMs += next - this.now().getTime();
      await this.runDue();
    }
    if (target > this.now().getTime()) this.state.clockOffsetMs += target - this.now().getTime();
    this.markDirty();
  }

  private nextDueAt(): number | undefined {
    const times = [
      ...this.manifest.scheduledTriggers.map((t) => (this.state.platform.lastTriggerRun[t.key] ?? 0) + INTERVAL_MS[t.interval]),
      ...this.state.platform.queue.map((e) => e.dueAt),
    ];
    return times.length ? Math.min(...times) : undefined;
  }

  private initTriggers(): void {
    const now = this.now().getTime();
    for (const t of this.manifest.scheduledTriggers) {
      // A trigger starts its cycle when the app is installed, as on the platform.
      if (this.state.platform.lastTriggerRun[t.key] === undefined) this.state.platform.lastTriggerRun[t.key] = now;
    }
  }

  /** Runs every trigger and queued event that is due at the current site time. */
  async runDue(): Promise<void> {
    await this.deliverUpgradeEvent();
    const now = this.now().getTime();
    for (const t of this.manifest.scheduledTriggers) {
      const last = this.state.platform.lastTriggerRun[t.key] ?? now;
      if (last + INTERVAL_MS[t.interval] <= now) {
        // Catch up to the latest slot, never firing more than once per tick for a backlog.
        const periods = Math.floor((now - last) / INTERVAL_MS[t.interval]);
        this.state.platform.lastTriggerRun[t.key] = last + periods * INTERVAL_MS[t.interval];
        await this.runScheduledTrigger(t.key);
      }
    }
    await this.runDueEvents();
  }

  /** Starts the wall-clock ticker used by `npm start`: triggers and queued events run on their own. */
  startTicker(intervalMs = 500): void {
    this.ticker = setInterval(() => {
      if (this.ticking) return;
      this.ticking = true;
      this.runDue()
        .catch((e) => console.error('[local-site] tick failed:', e))
        .finally(() => {
          this.ticking = false;
        });
    }, intervalMs);
    this.ticker.unref();
  }

  // ---------- state ----------

  reset(): void {
    this.state = seedState(new Date(realNow()));
    this.handlerCache.clear();
    this.initTriggers();
    this.faults.clear();
    this.log.clear();
    this.recentPushes = [];
    this.flush();
  }

  /**
   * Puts one of the app's macros at the end of a page, as the editor's "Insert … macro" does (the site's own
   * data: for the demo, tests and the bench, which start from a page that already holds the macro).
   */
  placeMacro(pageId: string, moduleKey: string, localId: string, title = moduleKey): void {
    const page = this.state.confluence.pages.find((p) => p.id === pageId);
    if (!page) throw new Error(`no page ${pageId}`);
    const body = page.body as { type: string; version?: number; content?: unknown[] };
    const node = { type: 'extension', attrs: { extensionType: 'com.atlassian.ecosystem', extensionKey: moduleKey, localId, layout: 'default', parameters: { localId, extensionTitle: title, guestParams: {} } } };
    page.body = { ...body, content: [...(body.content ?? []), node] };
    this.markDirty();
  }

  markDirty(): void {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 200);
    this.saveTimer.unref();
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.stateFile) saveState(this.stateFile, this.state);
  }

  /** Starts the SMTP catcher on the loopback interface (port 0 = any free port); the app's settings name this host and port. */
  async startMailCatcher(port = 0): Promise<{ host: string; port: number }> {
    return this.mail.address ?? this.mail.listen(port);
  }

  close(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.mail.close();
    this.flush();
  }

  // ---------- products ----------

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Serves one Jira or Confluence REST request: faults, contract checks, permissions, the request log. */
  async handleProduct(product: Product, req: SiteRequest): Promise<SiteResponse> {
    const started = Date.now();
    const router = product === 'jira' ? this.jira : this.confluence;
    const match = router.match(req.method, req.path);
    const endpoint = match?.route.template ?? req.path;
    const actorName = req.actor.kind === 'app' ? 'app' : req.actor.accountId;
    const record = (status: number, fault?: FaultRule['kind']) =>
      this.log.record({ at: this.now().toISOString(), product, method: req.method, path: req.path, endpoint, status, actor: actorName, ms: Date.now() - started, fault });

    if (this.faults.latencyMs > 0 && !req.siteUi) await sleep(this.faults.latencyMs);
    const fullPath = req.path + (req.query.toString() ? `?${req.query}` : '');

    if (this.contract) {
      const checked = this.contract.validateRequest(product, req.method, fullPath, req.body);
      if (checked.issues.length) {
        this.contractViolations.push({ direction: 'request', method: req.method, path: fullPath, issues: checked.issues });
        console.error(`[local-site] request breaks the ${product} REST contract: ${req.method} ${fullPath}\n  ${checked.issues.map((i) => `${i.where}: ${i.message}`).join('\n  ')}`);
        record(400);
        return { status: 400, body: { errorMessages: [`local-site contract check: ${checked.issues.map((i) => i.message).join('; ')}`], errors: {} } };
      }
    }
    if (!match) {
      const line = `${req.method} ${fullPath}`;
      this.unservedRequests.push(line);
      console.error(`[local-site] no ${product} route serves ${line}`);
      record(404);
      return { status: 404, body: { errorMessages: [`local-site: ${product} does not serve ${line}`], errors: {} } };
    }

    const fault = this.faults.pick(product, req);
    if (fault?.afterEffect && (fault.kind === 'timeout' || fault.kind === 'server-error')) {
      // The product does the work; the app never hears about it.
      await router.handle(req, this.state, () => this.now());
      if (req.method !== 'GET') this.markDirty();
      if (fault.kind === 'timeout') {
        await sleep(fault.afterMs ?? 100);
        record(0, 'timeout');
        throw new RequestTimeoutError(req.path);
      }
      const lost = FaultInjector.responseFor(fault)!;
      record(lost.status, fault.kind);
      return lost;
    }
    if (fault?.kind === 'timeout') {
      await sleep(fault.afterMs ?? 100);
      record(0, 'timeout');
      throw new RequestTimeoutError(req.path);
    }
    const injected = fault ? FaultInjector.responseFor(fault) : undefined;
    if (injected) {
      record(injected.status, fault?.kind);
      return injected;
    }

    let res: SiteResponse;
    if (fault?.kind === 'bulk-partial') res = await this.bulkWithInjectedFailures(router, req, fault.failShare ?? 0.2, fault.unnumbered === true);
    else res = (await router.handle(req, this.state, () => this.now())) as SiteResponse;

    if (this.contract && res.status !== 404) {
      const issues = this.contract.validateResponse(product, req.method, fullPath, res.status, res.body);
      if (issues.length) {
        this.contractViolations.push({ direction: 'response', method: req.method, path: fullPath, status: res.status, issues });
        console.error(`[local-site] response breaks the ${product} REST contract: ${req.method} ${fullPath} → ${res.status}\n  ${issues.map((i) => i.message).join('\n  ')}`);
      }
    }
    if (req.method !== 'GET') this.markDirty();
    record(res.status, fault?.kind);
    return res;
  }

  /** A bulk create where a share of the items fail as if Jira had refused them; the rest are really created. */
  private async bulkWithInjectedFailures(router: Router, req: SiteRequest, share: number, unnumbered = false): Promise<SiteResponse> {
    const body = req.body as { issueUpdates?: unknown[] };
    const items = Array.isArray(body?.issueUpdates) ? body.issueUpdates : [];
    const failing = this.faults.failingIndexes(items.length, share);
    const kept = items.map((item, index) => ({ item, index })).filter((x) => !failing.has(x.index));
    const res = kept.length
      ? ((await router.handle({ ...req, body: { ...body, issueUpdates: kept.map((k) => k.item) } }, this.state, () => this.now())) as SiteResponse)
      : { status: 400, body: { issues: [], errors: [] } };
    const out = (res.body ?? { issues: [], errors: [] }) as { issues: unknown[]; errors: { failedElementNumber?: number }[] };
    const errors = [
      ...out.errors.map((e) => (typeof e.failedElementNumber === 'number' ? { ...e, failedElementNumber: kept[e.failedElementNumber].index } : e)),
      ...[...failing].map((i) => ({
        status: 503,
        elementErrors: { errorMessages: ['Injected failure from the local site: this item was not created.'], errors: {} },
        ...(unnumbered ? {} : { failedElementNumber: i }),
      })),
    ].sort((a, b) => (a.failedElementNumber ?? -1) - (b.failedElementNumber ?? -1));
    return { status: out.issues.length ? 201 : 400, body: { issues: out.issues, errors } };
  }

  // ---------- app versions and lifecycle events (platform/app-version.ts) ----------

  /** The app as started now is a deployment: a new major version is due its `avi:forge:upgraded:app`. */
  private recordDeployment(): void {
    const { version, upgradedEvent } = deploy(this.state.platform.appVersion, deploymentOf(this.manifest));
    this.state.platform.appVersion = version;
    if (upgradedEvent) this.state.platform.pendingUpgradeEvent = true;
  }

  /** `/__site/platform` → Deploy a major version: as a deployment that changed the app's permissions. */
  async deployMajorVersion(): Promise<void> {
    this.state.platform.appVersion = deployMajor(this.state.platform.appVersion, deploymentOf(this.manifest));
    this.state.platform.pendingUpgradeEvent = true;
    this.markDirty();
    await this.deliverUpgradeEvent();
  }

  /**
   * Delivers `avi:forge:upgraded:app` to the manifest's `trigger` modules that subscribe to it, once per
   * installation, with the documented payload (`id` of the installation, `upgraderAccountId`, `app: {id,
   * version}`). Like a scheduled trigger: no user, the answer ignored, a failure logged and not retried (*guess*:
   * the docs say nothing about retries of lifecycle events).
   */
  async deliverUpgradeEvent(): Promise<void> {
    if (!this.state.platform.pendingUpgradeEvent) return;
    this.state.platform.pendingUpgradeEvent = false;
    this.markDirty();
    const appUuid = this.manifest.appId.split('/').pop() ?? this.manifest.appId;
    const version = versionString(this.state.platform.appVersion!);
    for (const trigger of this.manifest.eventTriggers.filter((t) => t.events.includes('avi:forge:upgraded:app'))) {
      for (const installation of this.installations) {
        const event = { eventType: 'avi:forge:upgraded:app', id: installation.id, upgraderAccountId: ADMIN_ID, app: { id: appUuid, version } };
        try {
          await this.run('trigger', trigger.function, trigger.key, undefined, (h) => h(event, { installContext: installation.installContext }), installation);
        } catch (e) {
          console.error(`[local-site] lifecycle trigger '${trigger.key}' failed:`, e);
        }
      }
    }
  }

  // ---------- installations ----------

  /** The app's installations on this site (platform/installations.ts): one with `app.compatibility`, else one per Atlassian app. */
  get installations(): Installation[] {
    return installationsOf(this.manifest, (app) => !(this.state.platform.disconnected ?? []).includes(app));
  }

  /** An admin connects or disconnects an optional Atlassian app (Jira) to the app's installation. */
  setConnected(app: AtlassianApp, connected: boolean): void {
    const rest = (this.state.platform.disconnected ?? []).filter((a) => a !== app);
    this.state.platform.disconnected = connected ? rest : [...rest, app];
    this.markDirty();
  }

  /** The installation that serves a module of this type; an error when its Atlassian app is not connected. */
  installationForModule(type: string): Installation {
    const app = appOfModule(type);
    const inst = app ? this.installations.find((i) => i.apps.includes(app)) : this.installations[0];
    if (!inst) throw new Error(`The app is not installed in ${app === 'jira' ? 'Jira' : 'Confluence'} on this site: ${app} is not connected`);
    return inst;
  }

  /** Each installation's own Forge storage (the first keeps the site's original place in the state). */
  kvsOf(installationId: string | undefined): KvsState {
    if (!installationId || installationId === APP_IDS.installationId) return this.state.platform.kvs;
    const others = (this.state.platform.otherInstallations ??= {});
    return (others[installationId] ??= { kvs: { values: {}, secrets: {}, entities: {} } }).kvs;
  }

  // ---------- consent ("Allow access") ----------

  /** Whether this user has allowed the app to act for them (asUser calls); until then the proxy refuses them. */
  hasConsent(accountId: string): boolean {
    return this.state.platform.consentedUsers.includes(accountId);
  }

  /** What the host's "Allow access" button does. */
  allowAccess(accountId: string): void {
    if (!this.hasConsent(accountId)) this.state.platform.consentedUsers.push(accountId);
    this.markDirty();
  }

  /** What a user does in their Atlassian account settings ("Connected apps" → remove access). */
  revokeAccess(accountId: string): void {
    this.state.platform.consentedUsers = this.state.platform.consentedUsers.filter((id) => id !== accountId);
    this.markDirty();
  }

  // ---------- people (personal data) ----------

  /** Closes an Atlassian account now (local-site/platform/privacy.ts): its profile is gone, its id reported `closed`. */
  closeAccount(accountId: string): void {
    closeAccount(this.state, accountId, this.now().toISOString());
    this.markDirty();
  }

  /** A person changes their name now: reported `updated` to an app that retrieved it earlier. */
  renameAccount(accountId: string, displayName: string): void {
    renameAccount(this.state, accountId, displayName, this.now().toISOString());
    this.markDirty();
  }

  // ---------- theme (the user's appearance setting) ----------

  /** The colour mode this user chose for Jira and Confluence (light until they choose). */
  colorModeOf(accountId: string): 'light' | 'dark' {
    return this.state.themes?.[accountId] ?? 'light';
  }

  /** What the user's appearance setting does: every page and every themed app frame follow it. */
  setColorMode(accountId: string, mode: 'light' | 'dark'): void {
    (this.state.themes ??= {})[accountId] = mode;
    this.markDirty();
  }

  // ---------- the backend seam ----------

  /** Installs `__forge_fetch__` and `__forge_runtime__` for the app's code in this process. */
  install(): this {
    installSiteClock(() => this.state.clockOffsetMs);
    const g = globalThis as Record<string, unknown>;
    // The runtime carries the bare app id; @forge/api builds the ARI from it.
    const appUuid = this.manifest.appId.split('/').pop() ?? this.manifest.appId;
    Object.defineProperty(g, '__forge_runtime__', {
      configurable: true,
      get: () => runtimeFor(appUuid, currentInvocation()),
    });
    g.__forge_fetch__ = (target: ForgeTarget, path: string, init?: RequestInit) => this.forgeFetch(target, path, init);
    return this;
  }

  async forgeFetch(target: ForgeTarget, rawPath: string, init: RequestInit = {}): Promise<Response> {
    const invocation = currentInvocation();
    if (invocation && Date.now() > invocation.deadline) {
      // The platform ends an invocation at its limit: nothing it still had in flight reaches a product or storage.
      throw new FunctionTimeoutError(invocation.functionKey, Math.round((invocation.deadline - invocation.startedAt) / 1000));
    }
    const url = new URL(rawPath, 'http://local-site.invalid');
    const method = (init.method ?? 'GET').toUpperCase();
    const bodyText = typeof init.body === 'string' ? init.body : init.body ? String(init.body) : undefined;

    if (target.type === 'kvs') {
      const started = Date.now();
      const res = handleKvsRequest(this.kvsOf(currentInvocation()?.installation?.id), { entities: this.manifest.entities, now: () => this.now().getTime() }, url.pathname, bodyText ? JSON.parse(bodyText) : undefined);
      this.log.record({ at: this.now().toISOString(), product: 'kvs', method, path: url.pathname, endpoint: url.pathname, status: res.status, actor: 'app', ms: Date.now() - started });
      if (url.pathname !== '/api/v1/get' && url.pathname !== '/api/v1/query' && url.pathname !== '/api/v1/entity/get' && url.pathname !== '/api/v1/entity/query') this.markDirty();
      return toResponse(res);
    }
    if (target.type === 'emails' && url.pathname === '/emails') {
      // sendEmail (@forge/api): the platform relays the message over SMTP to the host the app names.
      const started = Date.now();
      const res = await handleEmailSeam(init, this.now());
      this.log.record({ at: this.now().toISOString(), product: 'platform', method, path: url.pathname, endpoint: 'email send', status: res.status, actor: 'app', ms: Date.now() - started });
      return toResponse(res);
    }
    if (target.type !== 'fpp') return toResponse({ status: 400, body: { message: `local-site: unsupported fetch target ${JSON.stringify(target)}` } });

    if (target.remote === 'stargate') return this.platformRequest(url, method, bodyText, target.provider);

    const product: Product | undefined = target.remote === 'jira' ? 'jira' : target.remote === 'confluence' ? 'confluence' : undefined;
    if (!product) return toResponse({ status: 400, body: { message: `local-site: unknown remote ${target.remote}` } });
    const installation = invocation?.installation ?? this.installations[0];
    if (!installation.apps.includes(product)) {
      // An installation calls only the Atlassian apps it spans (@forge/api errors.js RequestProductNotAllowedError:
      // "Request jira is not allowed from confluence context"). GUESS: the proxy's status and error code.
      return toResponse({ status: 403, headers: { 'forge-proxy-error': 'PROXY_ERR' }, body: { message: `Request ${product} is not allowed from ${installation.apps.join(', ')} context.` } });
    }
    if (target.provider === 'user' && (invocation?.kind === 'consumer' || invocation?.kind === 'trigger')) {
      // No Atlassian page documents asUser() in a queue consumer or scheduled trigger: the site refuses it
      // there (a proxy error, which @forge/api out/api/fetch.js raises as ProxyRequestError). The code is the
      // site's own; Cloud's answer is unknown.
      return toResponse({ status: 403, headers: { 'forge-proxy-error': 'LOCAL_SITE_NO_USER_IN_BACKGROUND' }, body: { message: `asUser() is not available in a ${invocation.kind === 'consumer' ? 'queue consumer' : 'scheduled trigger'}: act as the app.` } });
    }
    const user = target.accountId ?? invocation?.accountId;
    let actor: Actor;
    if (target.provider === 'app') actor = { kind: 'app' };
    else if (user) actor = { kind: 'user', accountId: user };
    else if (target.provider === 'none') actor = { kind: 'app' };
    else {
      // asUser() without a user (a trigger or consumer): the platform's proxy refuses it.
      return toResponse(needsAuthentication());
    }
    if (actor.kind === 'user' && !this.hasConsent(actor.accountId)) {
      // A user who has not allowed the app to act for them: the proxy's answer that @forge/api
      // (out/api/fetch.js handleProxyResponseErrors) raises as NeedsAuthenticationError.
      this.consentRefusals.push(`${actor.accountId} ${product} ${url.pathname}`);
      return toResponse(needsAuthentication());
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    let body: unknown;
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return toResponse({ status: 400, body: { errorMessages: ['Request body is not valid JSON.'], errors: {} } });
      }
    }
    const res = await this.handleProduct(product, { method, path: url.pathname, query: url.searchParams, headers, body, actor });
    return toResponse(res);
  }

  /** Platform services reached through the app's stargate proxy: async event queues and web trigger URLs. */
  private async platformRequest(url: URL, method: string, bodyText: string | undefined, provider?: string): Promise<Response> {
    const body = bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {};
    if (method === 'POST' && url.pathname.startsWith('/webhook/queue/publish/')) {
      const queueName = String(body.queueName);
      if (!this.manifest.consumers.some((c) => c.queue === queueName)) {
        return toResponse({ status: 400, body: { message: `No consumer is declared for queue '${queueName}'` } });
      }
      const now = this.now().getTime();
      const events = (body.payload ?? []) as { body: unknown; delayInSeconds?: number }[];
      const invocation = currentInvocation();
      const chainRoot = invocation?.chainRoot ?? invocation?.invocationId ?? randomUUID();
      const chains = (this.state.platform.pushChains ??= {});
      if ((chains[chainRoot] ?? 0) >= CYCLIC_INVOCATION_LIMIT) {
        this.log.record({ at: this.now().toISOString(), product: 'queue', method, path: url.pathname, endpoint: 'queue publish', status: 405, actor: 'app', ms: 0 });
        return toResponse({ status: 405, body: { message: `The chain of invocations has made ${CYCLIC_INVOCATION_LIMIT} push requests.` } });
      }
      this.recentPushes = this.recentPushes.filter((p) => p.at > now - 60_000);
      if (this.recentPushes.reduce((n, p) => n + p.count, 0) + events.length > EVENTS_PER_MINUTE) {
        this.log.record({ at: this.now().toISOString(), product: 'queue', method, path: url.pathname, endpoint: 'queue publish', status: 429, actor: 'app', ms: 0 });
        return toResponse({ status: 429, body: { message: `More than ${EVENTS_PER_MINUTE} events pushed in a minute.` } });
      }
      chains[chainRoot] = (chains[chainRoot] ?? 0) + 1;
      this.recentPushes.push({ at: now, count: events.length });
      for (const event of events) {
        const queued: QueuedEvent = {
          id: randomUUID(),
          queueKey: queueName,
          jobId: String(body.jobId),
          body: event.body,
          dueAt: now + (event.delayInSeconds ?? 0) * 1000,
          attempt: 0,
          ...(currentInvocation()?.installation ? { installationId: currentInvocation()?.installation?.id } : {}),
          chainRoot,
        };
        this.state.platform.queue.push(queued);
      }
      this.log.record({ at: this.now().toISOString(), product: 'queue', method, path: url.pathname, endpoint: 'queue publish', status: 201, actor: 'app', ms: 0 });
      this.markDirty();
      return toResponse({ status: 201, body: {} });
    }
    if (method === 'POST' && url.pathname === '/graphql' && String(body.query ?? '').includes('createWebTriggerUrl')) {
      const input = ((body.variables ?? {}) as { input?: { triggerKey?: string } }).input ?? {};
      const key = String(input.triggerKey);
      if (!this.manifest.webTriggers.some((w) => w.key === key)) {
        return toResponse({ status: 200, body: { data: null, errors: [{ message: `No web trigger '${key}' in the manifest` }] } });
      }
      return toResponse({ status: 200, body: { data: { createWebTriggerUrl: { url: `${this.baseUrl}/x/webtrigger/${encodeURIComponent(key)}` } } } });
    }
    if (url.pathname === REPORT_ACCOUNTS_PATH) {
      // Personal data reporting (local-site/platform/privacy.ts), as the app only (privacy.reportPersonalData uses asApp).
      const started = Date.now();
      const fault = this.faults.pick('platform', { method, path: url.pathname });
      const injected = fault ? FaultInjector.responseFor(fault) : undefined;
      const res = injected ?? (method !== 'POST' ? { status: 405, body: { message: 'Use POST.' } } : provider !== 'app' ? { status: 403, body: { message: 'Only the app reports personal data.' } } : reportAccounts(directoryOf(this.state), body, this.manifest.scopes));
      const count = Array.isArray((body as { accounts?: unknown }).accounts) ? ((body as { accounts: unknown[] }).accounts.length) : 0;
      this.privacyReports.push({ status: res.status, accounts: count });
      this.log.record({ at: this.now().toISOString(), product: 'platform', method, path: url.pathname, endpoint: 'report accounts', status: res.status, actor: 'app', ms: Date.now() - started });
      return toResponse(res);
    }
    return toResponse({ status: 404, body: { message: `local-site: the platform does not serve ${method} ${url.pathname}` } });
  }

  // ---------- invoking the app's functions ----------

  /** Runs code as if inside an invocation for this user (tests calling the SDKs directly, e.g. `api.asUser()`). */
  asInvocation<T>(accountId: string | undefined, work: () => Promise<T>, installation: Installation = this.installations[0]): Promise<T> {
    const ctx: InvocationContext = { invocationId: randomUUID(), moduleKey: 'test', functionKey: 'test', accountId, startedAt: Date.now(), deadline: Date.now() + 900_000, installation };
    return invocationStorage.run(ctx, work);
  }

  /** The handler a manifest function names (`index.settingsResolver` → export settingsResolver of src/index). */
  private handlerFor(functionKey: string): Handler {
    const cached = this.handlerCache.get(functionKey);
    if (cached) return cached;
    const fn = this.manifest.functions.get(functionKey);
    if (!fn) throw new Error(`No function '${functionKey}' in the manifest`);
    const dot = fn.handler.lastIndexOf('.');
    const file = path.join(this.manifest.root, 'src', fn.handler.slice(0, dot));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    const handler = mod[fn.handler.slice(dot + 1)];
    if (typeof handler !== 'function') throw new Error(`Handler '${fn.handler}' is not an exported function of ${file}`);
    this.handlerCache.set(functionKey, handler as Handler);
    return handler as Handler;
  }

  private async run<T>(kind: InvocationRecord['kind'], functionKey: string, moduleKey: string, accountId: string | undefined, call: (h: Handler) => T | Promise<T>, installation: Installation = this.installations[0], chainRoot?: string): Promise<T> {
    const fn = this.manifest.functions.get(functionKey);
    const limitSeconds = kind === 'ui' ? UI_RESOLVER_SECONDS : kind === 'webtrigger' ? DEFAULT_FUNCTION_SECONDS : (fn?.timeoutSeconds ?? DEFAULT_FUNCTION_SECONDS);
    const startedAt = Date.now();
    const ctx: InvocationContext = { invocationId: randomUUID(), moduleKey, functionKey, accountId, startedAt, deadline: startedAt + limitSeconds * 1000, kind, chainRoot, installation };
    const handler = this.handlerFor(functionKey);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let ok = false;
    try {
      const result = await Promise.race([
        invocationStorage.run(ctx, () => Promise.resolve(call(handler))),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new FunctionTimeoutError(functionKey, limitSeconds)), limitSeconds * 1000);
          timer.unref();
        }),
      ]);
      ok = true;
      return result;
    } finally {
      if (timer) clearTimeout(timer);
      this.invocations.push({ functionKey, moduleKey, kind, ms: Date.now() - started, ok });
      this.markDirty();
    }
  }

  /**
   * A Custom UI `invoke(functionKey, payload)` from a module's iframe, with the context the product passes
   * (`extension` carries module data such as a macro's localId and content id).
   */
  async invokeUi(moduleKey: string, call: { functionKey: string; payload?: unknown }, ctx: { accountId: string; extension?: Record<string, unknown>; localId?: string }): Promise<unknown> {
    const mod = this.manifest.uiModules.find((m) => m.key === moduleKey);
    if (!mod?.resolverFunction) throw new Error(`Module '${moduleKey}' has no resolver`);
    const installation = this.installationForModule(mod.type);
    const context = {
      cloudId: APP_IDS.cloudId,
      moduleKey,
      localId: ctx.localId ?? `${moduleKey}-local`,
      siteUrl: this.baseUrl,
      environmentType: 'DEVELOPMENT',
      extension: { type: mod.type, ...(ctx.extension ?? {}) },
    };
    return this.run('ui', mod.resolverFunction, moduleKey, ctx.accountId, (h) =>
      h({ call: { functionKey: call.functionKey, payload: call.payload ?? {} }, context }, { principal: { accountId: ctx.accountId }, installContext: installation.installContext, installation: runtimeInstallation(installation), license: { isActive: true } }),
    installation);
  }

  /** Confluence's page export (PDF, Word) asking a macro for the ADF to show in its place, for the exporting user. */
  async exportMacro(moduleKey: string, ctx: { accountId: string; localId: string; extension: Record<string, unknown>; exportType?: 'pdf' | 'word' | 'other' }): Promise<unknown> {
    const mod = this.manifest.uiModules.find((m) => m.key === moduleKey);
    if (!mod?.adfExportFunction) throw new Error(`Macro '${moduleKey}' has no adfExport function`);
    const installation = this.installationForModule(mod.type);
    const payload = {
      exportType: ctx.exportType ?? 'pdf',
      context: { cloudId: APP_IDS.cloudId, moduleKey, localId: ctx.localId, siteUrl: this.baseUrl, extension: { type: 'macro', ...ctx.extension } },
    };
    return this.run('other', mod.adfExportFunction, moduleKey, ctx.accountId, (h) => h(payload, { principal: { accountId: ctx.accountId }, installContext: installation.installContext }), installation);
  }

  /** Fires a scheduled trigger now (on demand), as the platform does on its interval: no user, result ignored. */
  async runScheduledTrigger(key: string): Promise<void> {
    const trigger = this.manifest.scheduledTriggers.find((t) => t.key === key);
    if (!trigger) throw new Error(`No scheduled trigger '${key}'`);
    const times = this.duplicateTriggerFiring ? 2 : 1;
    // Each installation fires its own scheduled triggers (an app without app.compatibility spanning two apps: twice).
    for (const installation of this.installations) {
      for (let i = 0; i < times; i += 1) {
        try {
          const request = { context: { cloudId: APP_IDS.cloudId, moduleKey: key }, contextToken: randomUUID() };
          await this.run('trigger', trigger.function, key, undefined, (h) => h(request, { installContext: installation.installContext }), installation);
        } catch (e) {
          // The platform logs and does not retry a failed scheduled trigger.
          console.error(`[local-site] scheduled trigger '${key}' failed:`, e);
        }
      }
    }
  }

  /** Delivers every queued event that is due now (retries included) to its consumer. */
  async runDueEvents(): Promise<number> {
    let delivered = 0;
    const takeNext = (): QueuedEvent | undefined => {
      const now = this.now().getTime();
      const due = this.state.platform.queue.filter((e) => e.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt)[0];
      if (due) this.state.platform.queue.splice(this.state.platform.queue.indexOf(due), 1);
      return due;
    };
    // One lane delivers events in order (tests rely on that); more lanes run consumers side by side, as the
    // platform does with a queue's events.
    const lane = async () => {
      for (let event = takeNext(); event; event = takeNext()) {
        await this.deliver(event);
        delivered += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.queueConcurrency) }, lane));
    return delivered;
  }

  /** Runs queued events until the queue is empty, moving the site clock over their delays. */
  async drainQueue(maxEvents = 100_000): Promise<number> {
    let delivered = 0;
    while (this.state.platform.queue.length && delivered < maxEvents) {
      const next = Math.min(...this.state.platform.queue.map((e) => e.dueAt));
      const now = this.now().getTime();
      if (next > now) this.state.clockOffsetMs += next - now;
      delivered += await this.runDueEvents();
    }
    return delivered;
  }

  private async deliver(event: QueuedEvent): Promise<void> {
    const consumer = this.manifest.consumers.find((c) => c.queue === event.queueKey);
    if (!consumer) return;
    const asyncEvent = {
      body: event.body,
      queueName: event.queueKey,
      jobId: event.jobId,
      eventId: event.id,
      ...(event.attempt > 0 ? { retryContext: { retryCount: event.attempt, retryReason: event.retryReason ?? 'FUNCTION_PLATFORM_UNKNOWN_ERROR', retryData: event.retryData } } : {}),
    };
    let retry: { afterSeconds: number; reason: string; data?: unknown } | undefined;
    try {
      const installation = this.installations.find((i) => i.id === (event.installationId ?? APP_IDS.installationId)) ?? this.installations[0];
      // Consumers get no principal: the pusher's account is not passed on (asUser() in a consumer is undocumented).
      const context = { installContext: installation.installContext };
      const result = (await this.run('consumer', consumer.function, consumer.key, undefined, (h) => h(asyncEvent, context), installation, event.chainRoot)) as
        | { _retry?: boolean; retryOptions?: { retryAfter?: number; retryReason?: string; retryData?: unknown } }
        | undefined;
      if (result && result._retry) {
        const o = result.retryOptions ?? {};
        retry = { afterSeconds: o.retryAfter ?? 5, reason: o.retryReason ?? 'FUNCTION_RETRY_REQUEST', data: o.retryData };
      }
    } catch (e) {
      console.error(`[local-site] consumer '${consumer.key}' failed:`, e);
      retry = { afterSeconds: 5, reason: e instanceof FunctionTimeoutError ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR' };
    }
    if (retry && event.attempt < MAX_CONSUMER_RETRIES) {
      this.state.platform.queue.push({ ...event, attempt: event.attempt + 1, dueAt: this.now().getTime() + retry.afterSeconds * 1000, retryReason: retry.reason, retryData: retry.data });
    }
  }

  /**
   * issue 16: the validators a Jira admin added to this transition (local-site/jira/workflows.ts), each run as
   * Forge runs a function validator: the app's function gets `{ issue: { key }, configuration, transition:
   * { from, to, modifiedFields } }` and answers `{ result, errorMessage }` (developer.atlassian.com/platform/
   * forge/manifest-reference/modules/jira-workflow-validator). Returns the first refusal's message.
   *
   * Forge documents that an expression validator that fails to evaluate, or whose app is uninstalled,
   * evaluates to false; it says nothing of a function that throws, times out or answers something else.
   * GUESS, the stricter reading: all of those refuse the transition too (fail closed).
   */
  async runWorkflowValidators(t: { issue: { key: string }; project: { key: string }; transitionId: string; fromStatusId: string; fields: Record<string, unknown> }): Promise<string | undefined> {
    for (const rule of rulesFor(this.state.jira, t.project.key, t.transitionId)) {
      const validator = this.manifest.workflowValidators.find((v) => v.key === rule.validatorKey);
      if (!validator) return DEFAULT_VALIDATOR_MESSAGE; // the app that provided it is gone
      if (!validator.function) {
        // The site does not evaluate Jira expressions: refusing is stricter than guessing a result.
        return `${validator.errorMessage ?? DEFAULT_VALIDATOR_MESSAGE} (the local site does not evaluate Jira expression validators)`;
      }
      const payload = {
        issue: { key: t.issue.key },
        configuration: {},
        transition: { from: { id: t.fromStatusId }, to: { id: t.transitionId }, modifiedFields: t.fields },
      };
      let answer: unknown;
      try {
        const installation = this.installationForModule('jira:workflowValidator');
        const fn = validator.function;
        answer = await this.run('other', fn, validator.key, undefined, (h) => h(payload, { installContext: installation.installContext }), installation);
      } catch (e) {
        console.error(`[local-site] workflow validator '${validator.key}' failed:`, e);
        return `${validator.name}: the app's validator could not run (${e instanceof FunctionTimeoutError ? 'it timed out' : 'it failed'}), so the transition was not performed.`;
      }
      const a = answer as { result?: unknown; errorMessage?: unknown } | undefined;
      if (a?.result === true) continue;
      return typeof a?.errorMessage === 'string' && a.errorMessage.trim() ? a.errorMessage : DEFAULT_VALIDATOR_MESSAGE;
    }
    return undefined;
  }

  /** A web trigger call: the request shape Forge passes to the function, and its `{statusCode, headers, body}` answer. */
  async callWebTrigger(key: string, req: { method: string; path: string; headers: Record<string, string>; query: URLSearchParams; body: string }): Promise<{ statusCode: number; headers: Record<string, string[]>; body: string }> {
    const trigger = this.manifest.webTriggers.find((w) => w.key === key);
    if (!trigger) return { statusCode: 404, headers: {}, body: `No web trigger '${key}'` };
    const queryParameters: Record<string, string[]> = {};
    req.query.forEach((v, k) => {
      (queryParameters[k] ??= []).push(v);
    });
    const request = {
      method: req.method,
      path: req.path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]])),
      queryParameters,
      body: req.body,
    };
    const out = (await this.run('webtrigger', trigger.function, key, undefined, (h) => h(request, { installContext: this.installations[0].installContext }))) as
      | { statusCode?: number; headers?: Record<string, string[]>; body?: string }
      | undefined;
    return { statusCode: out?.statusCode ?? 204, headers: out?.headers ?? {}, body: out?.body ?? '' };
  }
}

interface ForgeTarget { type: string; provider?: string; remote?: string; accountId?: string }

/**
 * The Forge proxy's refusal of an asUser() call it cannot make for the user. @forge/api reads only the
 * `forge-proxy-error` header (out/api/fetch.js); status and body are a guess (401, as the SDK's error says).
 */
function needsAuthentication(): SiteResponse {
  return { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' }, body: { message: 'Authentication Required' } };
}

function toResponse(res: SiteResponse): Response {
  const headers = new Headers(res.headers ?? {});
  if (res.body === undefined || res.status === 204) return new Response(null, { status: res.status, headers });
  if (typeof res.body === 'string') return new Response(res.body, { status: res.status, headers });
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(res.body), { status: res.status, headers });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
