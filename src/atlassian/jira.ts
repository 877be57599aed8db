/** A thin typed client over Jira Cloud REST v3, as the user (asUser) or as the app (asApp). */
import api, { route } from '@forge/api';
import { requireJira } from './installation';
import { jsonRequest, AtlassianError, NOT_IDEMPOTENT, type JsonRequest, type Requester } from './request';

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
export interface RemoteLink { globalId: string; relationship?: string; object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string } } }

export interface BulkCreateResult {
  issues: { id: string; key: string }[];
  errors: { status?: number; failedElementNumber?: number; elementErrors?: { errorMessages?: string[]; errors?: Record<string, string> } }[];
}

/**
 * The issue fields the app reads from Jira (each present only when asked for); any other field Jira sends is
 * `unknown` until checked.
 */
export interface IssueFields {
  [field: string]: unknown;
  summary?: string;
  assignee?: { accountId: string; displayName?: string } | null;
  priority?: { name?: string } | null;
  status?: { name?: string; statusCategory?: { key?: 'new' | 'indeterminate' | 'done' } } | null;
  duedate?: string | null;
  created?: string;
  updated?: string;
  resolutiondate?: string | null;
  labels?: string[];
  project?: { key?: string };
}

export interface SearchedIssue { id: string; key: string; fields: IssueFields; properties?: Record<string, unknown> }

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
    let nextPageToken: string | undefined;
    do {
      const page = await this.requestJira<{ issues: SearchedIssue[]; nextPageToken?: string; isLast?: boolean }>(route`/rest/api/3/search/jql`, {
        method: 'POST',
        body: JSON.stringify({ jql, fields, properties, maxResults: pageSize, ...(nextPageToken ? { nextPageToken } : {}) }),
      });
      out.push(...page.issues);
      nextPageToken = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return out;
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

  /** People (not apps) whose name or email matches the text, as the caller may see them. */
  async searchPeople(query: string, max = 5): Promise<{ accountId: string; displayName: string }[]> {
    const users = await this.requestJira<{ accountId: string; displayName: string; accountType?: string; active?: boolean }[]>(route`/rest/api/3/user/search?query=${query}&maxResults=${String(max)}`);
    return users.filter((u) => (u.accountType === undefined || u.accountType === 'atlassian') && u.active !== false).map((u) => ({ accountId: u.accountId, displayName: u.displayName }));
  }

  /** The calling user (asUser). */
  async myself(): Promise<{ accountId: string; displayName: string }> {
    return this.requestJira<{ accountId: string; displayName: string }>(route`/rest/api/3/myself`);
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
