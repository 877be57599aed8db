/** A thin typed client over Jira Cloud REST v3, as the user (asUser) or as the app (asApp). */
import api, { route } from '@forge/api';
import { requireJira } from './installation';
import { jsonRequest, AtlassianError, NOT_IDEMPOTENT, type JsonRequest, type Requester } from './request';
import type { IssueFields } from '../domain/jira-fields';

export interface JiraProjectSummary { id: string; key: string; name: string; issueTypes?: { id: string; name: string; subtask: boolean }[] }
export interface JqlParseResult { query: string; errors?: string[] }
export interface JiraUserRef { accountId: string; displayName: string }
export interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    created?: string;
    resolutiondate?: string | null;
    status?: { name: string; statusCategory?: { key: string } };
    assignee?: JiraUserRef | null;
    reporter?: JiraUserRef | null;
    creator?: JiraUserRef | null;
    /** The issue's comments as its `comment` field lists them (maybe not all: compare `total`). */
    comment?: { comments?: JiraCommentRef[]; total?: number };
    priority?: { id: string; name: string } | null;
    issuetype?: { id: string; name: string };
    project?: { id: string; key: string };
  };
}
/** The body of Jira's notify API (schema `Notification` in the Jira platform OpenAPI document). */
export interface JiraNotification {
  subject: string;
  textBody: string;
  htmlBody: string;
  to: { reporter?: boolean; assignee?: boolean; watchers?: boolean; users?: { accountId: string }[]; groups?: { name: string }[] };
}
export interface JiraAuthor { accountId: string; displayName: string; accountType?: string }
/** A comment as the comment endpoints and the issue's `comment` field list it. */
export interface JiraCommentRef { id: string; created: string; author?: JiraAuthor; body: unknown }
/** A changelog entry, field changes by name (`fromString`/`toString`), an empty side null. */
export interface JiraChangelogEntry { id: string; created: string; author: JiraAuthor | null; items: { field: string; from: string | null; to: string | null }[] }
interface RawChangelogEntry { id?: string; created?: string; author?: Partial<JiraAuthor>; items?: Record<string, unknown>[] }

/** A string property the object itself has (never one it inherits, such as `toString`), else null. */
function own(o: Record<string, unknown>, key: string): string | null {
  return Object.prototype.hasOwnProperty.call(o, key) && typeof o[key] === 'string' ? (o[key]) : null;
}

export interface RemoteLink { globalId: string; relationship?: string; object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } } }

export interface BulkCreateResult {
  issues: { id: string; key: string }[];
  errors: { status?: number; failedElementNumber?: number; elementErrors?: { errorMessages?: string[]; errors?: Record<string, string> } }[];
}

export type { IssueFields } from '../domain/jira-fields';

export interface SearchedIssue { id: string; key: string; fields: IssueFields; properties?: Record<string, unknown> }
export interface SearchPage { issues: SearchedIssue[]; nextPageToken?: string; isLast?: boolean }

export interface CreateField { fieldId: string; name: string; required: boolean; schema?: { type?: string; custom?: string }; allowedValues?: { value?: string }[] }

export class JiraClient {
  /** Every REST call goes through this, as `this.requestJira(route`...`, { method })` (see JsonRequest). */
  private readonly requestJira: JsonRequest;

  private constructor(request: Requester) {
    this.requestJira = jsonRequest(request);
  }

  /** Acts with the invoking user's Jira permissions. */
  static asUser(): JiraClient {
    return new JiraClient((path, init) => {
      requireJira();
      return api.asUser().requestJira(path, init);
    });
  }

  /** Acts as the app (scheduled jobs, queue consumers). */
  static asApp(): JiraClient {
    return new JiraClient((path, init) => {
      requireJira();
      return api.asApp().requestJira(path, init);
    });
  }

  /** Whether the caller holds a global permission such as ADMINISTER. */
  async hasGlobalPermission(permission: 'ADMINISTER'): Promise<boolean> {
    const body = await this.requestJira<{ permissions: Record<string, { havePermission: boolean }> }>(route`/rest/api/3/mypermissions?permissions=${permission}`,
    );
    return Boolean(body.permissions[permission]?.havePermission);
  }

  /** Whether the caller may create issues in the project (false too when they cannot see it: Jira answers 404). */
  async canCreateIssues(projectKey: string): Promise<boolean> {
    try {
      const body = await this.requestJira<{ permissions: Record<string, { havePermission: boolean }> }>(route`/rest/api/3/mypermissions?projectKey=${projectKey}&permissions=CREATE_ISSUES`);
      return Boolean(body.permissions.CREATE_ISSUES?.havePermission);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return false;
      throw e;
    }
  }

  /** The project with its issue types, or undefined when it does not exist or the caller cannot see it. */
  async findProject(key: string): Promise<JiraProjectSummary | undefined> {
    try {
      return await this.requestJira<JiraProjectSummary>(route`/rest/api/3/project/${key}`);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  /** Projects the caller can see, with their issue types (at most `limit`, 50 a page, by name). */
  async projectsWithIssueTypes(limit = 200): Promise<JiraProjectSummary[]> {
    const out: JiraProjectSummary[] = [];
    for (let startAt = 0; out.length < limit; ) {
      const page = await this.requestJira<{ values: JiraProjectSummary[]; isLast: boolean }>(route`/rest/api/3/project/search?expand=${'issueTypes'}&orderBy=${'name'}&startAt=${String(startAt)}&maxResults=${'50'}`);
      out.push(...page.values);
      if (page.isLast || !page.values.length) break;
      startAt += page.values.length;
    }
    return out.slice(0, limit);
  }

  /** The fields of the create screen for this project and issue type (by name), or [] when the caller cannot create there. */
  async createFields(projectKey: string, issueTypeName: string): Promise<CreateField[]> {
    try {
      const types = await this.requestJira<{ issueTypes: { id: string; name: string }[] }>(route`/rest/api/3/issue/createmeta/${projectKey}/issuetypes?maxResults=${'200'}`);
      const type = types.issueTypes.find((t) => t.name === issueTypeName);
      if (!type) return [];
      const meta = await this.requestJira<{ fields: CreateField[] }>(route`/rest/api/3/issue/createmeta/${projectKey}/issuetypes/${type.id}?maxResults=${'200'}`);
      return meta.fields;
    } catch (e) {
      if (e instanceof AtlassianError && (e.status === 400 || e.status === 404)) return [];
      throw e;
    }
  }

  async getIssue(key: string, fields: string[]): Promise<JiraIssue> {
    return this.requestJira<JiraIssue>(route`/rest/api/3/issue/${key}?fields=${fields.join(',')}`);
  }

  /** An issue property's value, or undefined when the issue has none by that key. */
  async getIssueProperty<T>(issueKey: string, propertyKey: string): Promise<T | undefined> {
    try {
      return (await this.requestJira<{ key: string; value: T }>(route`/rest/api/3/issue/${issueKey}/properties/${propertyKey}`)).value;
    } catch (e) {
      if (e instanceof AtlassianError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Sets an issue property (Jira keeps it apart from the fields: it does not change the issue's `updated`). */
  async setIssueProperty(issueKey: string, propertyKey: string, value: unknown): Promise<void> {
    await this.requestJira(route`/rest/api/3/issue/${issueKey}/properties/${propertyKey}`, { method: 'PUT', body: JSON.stringify(value) });
  }

  /**
   * Sets one property value on several issues in one request (Jira's *Bulk set issue property*: asynchronous,
   * all or none of the issues; it answers 303 to the task). Safe to repeat: the same value again changes nothing.
   */
  async bulkSetIssueProperty(propertyKey: string, value: unknown, issueIds: string[]): Promise<void> {
    const entityIds = [...new Set(issueIds)].map(Number);
    await this.requestJira(route`/rest/api/3/issue/properties/${propertyKey}`, { method: 'PUT', body: JSON.stringify({ value, filter: { entityIds } }), acceptStatuses: [303] });
  }

  /** Adds the remote link, or updates the one with the same globalId: safe to repeat. */
  async upsertRemoteLink(issueKey: string, link: RemoteLink): Promise<void> {
    await this.requestJira(route`/rest/api/3/issue/${issueKey}/remotelink`, { method: 'POST', body: JSON.stringify(link) });
  }

  /**
   * Creates up to 50 issues in one call. Jira answers 201 when at least one was created (failures listed
   * per element) and 400 when none was; both come back as a result here, never as an exception.
   */
  async bulkCreate(issueUpdates: unknown[]): Promise<BulkCreateResult> {
    if (issueUpdates.length > 50) throw new Error('Jira creates at most 50 issues per bulk call');
    try {
      return await this.requestJira<BulkCreateResult>(route`/rest/api/3/issue/bulk`, { method: 'POST', body: JSON.stringify({ issueUpdates }), ...NOT_IDEMPOTENT });
    } catch (e) {
      const err = e as AtlassianError;
      if (err instanceof AtlassianError && err.status === 400 && err.body && Array.isArray((err.body as BulkCreateResult).errors)) {
        return { issues: [], errors: (err.body as BulkCreateResult).errors };
      }
      throw e;
    }
  }

  /** All issues matching the JQL (following nextPageToken), with the fields and properties asked for. */
  async searchAll(jql: string, fields: string[], properties: string[] = [], pageSize = 100): Promise<SearchedIssue[]> {
    const out: SearchedIssue[] = [];
    for await (const page of this.searchPages(jql, fields, properties, pageSize)) out.push(...page);
    return out;
  }

  /** The issues matching the JQL one page at a time, so a caller can act on each page without holding them all. */
  async *searchPages(jql: string, fields: string[], properties: string[] = [], pageSize = 100): AsyncGenerator<SearchedIssue[]> {
    let nextPageToken: string | undefined;
    do {
      const page = await this.requestJira<{ issues: SearchedIssue[]; nextPageToken?: string; isLast?: boolean }>(route`/rest/api/3/search/jql`, {
        method: 'POST',
        body: JSON.stringify({ jql, fields, properties, maxResults: pageSize, ...(nextPageToken ? { nextPageToken } : {}) }),
      });
      yield page.issues;
      nextPageToken = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }

  /**
   * Up to 100 issues by id or key in one call (`POST /rest/api/3/issue/bulkfetch`, a read). Issues that no
   * longer exist or that the caller may not browse are simply absent.
   */
  async bulkFetch(idsOrKeys: string[], fields: string[], properties: string[] = []): Promise<SearchedIssue[]> {
    if (!idsOrKeys.length) return [];
    if (idsOrKeys.length > 100) throw new Error('Jira fetches at most 100 issues per call.');
    const out = await this.requestJira<{ issues: SearchedIssue[] }>(route`/rest/api/3/issue/bulkfetch`, {
      method: 'POST',
      body: JSON.stringify({ issueIdsOrKeys: idsOrKeys, fields, properties }),
    });
    return out.issues ?? [];
  }

  /** One page of a search (nextPageToken paging), with the fields and properties asked for. */
  async searchPage(jql: string, options: { fields: string[]; properties?: string[]; maxResults: number; nextPageToken?: string }): Promise<SearchPage> {
    return this.requestJira<SearchPage>(route`/rest/api/3/search/jql`, {
      method: 'POST',
      body: JSON.stringify({ jql, fields: options.fields, properties: options.properties ?? [], maxResults: options.maxResults, ...(options.nextPageToken ? { nextPageToken: options.nextPageToken } : {}) }),
    });
  }

  /** Jira's approximate count of the issues the JQL finds (as the caller may see them). */
  async approximateCount(jql: string): Promise<number> {
    return (await this.requestJira<{ count: number }>(route`/rest/api/3/search/approximate-count`, { method: 'POST', body: JSON.stringify({ jql }) })).count;
  }

  /** The listed projects the caller can browse, or (none listed) every browsable one; the first `max` by key. */
  async browsableProjects(keys: string[], max: number): Promise<{ key: string; name: string }[]> {
    const params = new URLSearchParams({ maxResults: String(max), orderBy: 'key' });
    for (const key of keys) params.append('keys', key);
    const page = await this.requestJira<{ values: { key: string; name: string }[] }>(route`/rest/api/3/project/search?${params}`);
    return page.values.map((p) => ({ key: p.key, name: p.name }));
  }

  /** The name of Jira's default priority, or null when none is marked default. */
  async defaultPriorityName(): Promise<string | null> {
    return (await this.priorities()).find((p) => p.isDefault)?.name ?? null;
  }

  /** A saved filter the caller may see (its id and name), or undefined: Jira answers 400 for one that is not found or not theirs to see. */
  async findFilter(id: string): Promise<{ id: string; name: string } | undefined> {
    try {
      const f = await this.requestJira<{ id: string; name: string }>(route`/rest/api/3/filter/${id}`);
      return { id: String(f.id), name: f.name };
    } catch (e) {
      if (e instanceof AtlassianError && (e.status === 400 || e.status === 404)) return undefined;
      throw e;
    }
  }

  /** Saved filters the caller may see, by name (the first `max`). */
  async visibleFilters(max: number): Promise<{ id: string; name: string }[]> {
    const page = await this.requestJira<{ values: { id: string; name: string }[] }>(route`/rest/api/3/filter/search?orderBy=${'name'}&maxResults=${String(max)}`);
    return page.values.map((f) => ({ id: String(f.id), name: f.name }));
  }

  async priorities(): Promise<{ id: string; name: string; isDefault?: boolean }[]> {
    return this.requestJira<{ id: string; name: string; isDefault?: boolean }[]>(route`/rest/api/3/priority`);
  }

  async addComment(issueKey: string, body: unknown): Promise<{ id: string; created: string }> {
    return this.requestJira<{ id: string; created: string }>(route`/rest/api/3/issue/${issueKey}/comment`, { method: 'POST', body: JSON.stringify({ body }), ...NOT_IDEMPOTENT });
  }

  /**
   * Jira emails the issue's people through its own mail settings (documented: `POST /rest/api/3/issue/{key}/notify`,
   * `write:jira-work`). Not idempotent: a retry after an unknown outcome could send it twice.
   */
  async notify(issueKey: string, notification: JiraNotification): Promise<void> {
    await this.requestJira(route`/rest/api/3/issue/${issueKey}/notify`, { method: 'POST', body: JSON.stringify(notification), ...NOT_IDEMPOTENT });
  }

  /** The newest comments first (up to `max`), with their ADF bodies. */
  async recentComments(issueKey: string, max = 50): Promise<{ id: string; created: string; author?: { accountId: string; accountType?: string }; body: unknown }[]> {
    const out = await this.requestJira<{ comments: { id: string; created: string; author?: { accountId: string; accountType?: string }; body: unknown }[] }>(route`/rest/api/3/issue/${issueKey}/comment?orderBy=-created&maxResults=${String(max)}`,
    );
    return out.comments;
  }

  /**
   * One page of the issue's history (`GET /rest/api/3/issue/{key}/changelog`, oldest first). Jira leaves an
   * empty side of a change out; here it is null.
   */
  async changelogPage(issueKey: string, startAt: number, maxResults = 100): Promise<{ values: JiraChangelogEntry[]; isLast: boolean; startAt: number }> {
    const page = await this.requestJira<{ values?: RawChangelogEntry[]; isLast?: boolean; startAt?: number; total?: number }>(route`/rest/api/3/issue/${issueKey}/changelog?startAt=${String(startAt)}&maxResults=${String(maxResults)}`);
    const values = (page.values ?? []).map((e) => ({
      id: String(e.id),
      created: String(e.created ?? ''),
      author: e.author ? { accountId: e.author.accountId ?? '', displayName: e.author.displayName ?? '', accountType: e.author.accountType } : null,
      // `toString` is read only as an own property: every object inherits one.
      items: (e.items ?? []).map((i) => ({ field: typeof i.field === 'string' ? i.field : '', from: own(i, 'fromString'), to: own(i, 'toString') })),
    }));
    // Jira's isLast; when it is absent, the total (or an empty page) tells.
    const isLast = page.isLast ?? (values.length === 0 || (page.total !== undefined && startAt + values.length >= page.total));
    return { values, isLast, startAt: page.startAt ?? startAt };
  }

  /** One page of comments, oldest first (`GET /rest/api/3/issue/{key}/comment`). */
  async commentsPage(issueKey: string, startAt: number, maxResults = 100): Promise<{ comments: JiraCommentRef[]; total: number }> {
    const page = await this.requestJira<{ comments?: JiraCommentRef[]; total?: number }>(route`/rest/api/3/issue/${issueKey}/comment?startAt=${String(startAt)}&maxResults=${String(maxResults)}&orderBy=${'created'}`);
    return { comments: page.comments ?? [], total: page.total ?? 0 };
  }

  /** The accounts that may browse the project (asks the caller to administer it: call as the app). */
  async projectBrowsers(projectKey: string): Promise<Set<string>> {
    const out = new Set<string>();
    for (let startAt = 0; ; startAt += 1000) {
      const users = await this.requestJira<{ accountId: string }[]>(route`/rest/api/3/user/permission/search?permissions=${'BROWSE_PROJECTS'}&projectKey=${projectKey}&startAt=${String(startAt)}&maxResults=${'1000'}`);
      for (const u of users) out.add(u.accountId);
      if (users.length < 1000) return out;
    }
  }

  /** The account with exactly this email address, when Jira finds one (emails hidden by privacy settings still match). */
  async findUserByEmail(email: string): Promise<{ accountId: string; displayName: string } | undefined> {
    const users = await this.requestJira<{ accountId: string; displayName: string; emailAddress?: string; accountType?: string }[]>(route`/rest/api/3/user/search?query=${email}&maxResults=${'10'}`);
    const humans = users.filter((u) => u.accountType === undefined || u.accountType === 'atlassian');
    return humans.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase()) ?? (humans.length === 1 ? humans[0] : undefined);
  }

  /** One account's current profile as the caller may see it (`active: false` and "Former user" for a closed account). */
  async userById(accountId: string): Promise<{ accountId: string; displayName: string; active?: boolean } | undefined> {
    try {
      return await this.requestJira<{ accountId: string; displayName: string; active?: boolean }>(route`/rest/api/3/user?accountId=${accountId}`);
    } catch (e) {
      if (e instanceof AtlassianError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** People (not apps) whose name or email matches the text, as the caller may see them. */
  async searchPeople(query: string, max = 5): Promise<{ accountId: string; displayName: string }[]> {
    const users = await this.requestJira<{ accountId: string; displayName: string; accountType?: string; active?: boolean }[]>(route`/rest/api/3/user/search?query=${query}&maxResults=${String(max)}`);
    return users.filter((u) => (u.accountType === undefined || u.accountType === 'atlassian') && u.active !== false).map((u) => ({ accountId: u.accountId, displayName: u.displayName }));
  }

  /** The calling user (asUser). */
  async myself(): Promise<{ accountId: string; displayName: string }> {
    return this.requestJira<{ accountId: string; displayName: string }>(route`/rest/api/3/myself`);
  }

  /** The site's base URL as Jira names it (`GET /rest/api/3/serverInfo`, no scope): links built where no UI context gives one. */
  async siteBaseUrl(): Promise<string> {
    const body = await this.requestJira<{ baseUrl?: string }>(route`/rest/api/3/serverInfo`);
    return String(body.baseUrl ?? '').replace(/\/+$/, '');
  }

  /** Jira's own verdict on JQL text: its error messages, if any. */
  async parseJql(jql: string): Promise<JqlParseResult> {
    const body = await this.requestJira<{ queries: JqlParseResult[] }>(route`/rest/api/3/jql/parse?validation=strict`, {
      method: 'POST',
      body: JSON.stringify({ queries: [jql] }),
    });
    const [parsed] = body.queries;
    if (!parsed) throw new Error('Jira did not answer the JQL check.');
    return parsed;
  }
}
