/** A thin typed client over Jira Cloud REST v3, as the user (asUser) or as the app (asApp). */
import api, { route } from '@forge/api';
import { sendJson, type Requester } from './request';

export interface JiraProjectSummary { id: string; key: string; name: string; issueTypes?: { id: string; name: string; subtask: boolean }[] }
export interface JqlParseResult { query: string; errors?: string[] }

export class JiraClient {
  private constructor(private readonly request: Requester) {}

  /** Acts with the invoking user's Jira permissions. */
  static asUser(): JiraClient {
    return new JiraClient((path, init) => api.asUser().requestJira(path, init));
  }

  /** Acts as the app (scheduled jobs, queue consumers). */
  static asApp(): JiraClient {
    return new JiraClient((path, init) => api.asApp().requestJira(path, init));
  }

  /** Whether the caller holds a global permission such as ADMINISTER. */
  async hasGlobalPermission(permission: 'ADMINISTER'): Promise<boolean> {
    const body = await sendJson<{ permissions: Record<string, { havePermission: boolean }> }>(
      this.request,
      route`/rest/api/3/mypermissions?permissions=${permission}`,
    );
    return Boolean(body.permissions[permission]?.havePermission);
  }

  /** The project with its issue types, or undefined when it does not exist or the caller cannot see it. */
  async findProject(key: string): Promise<JiraProjectSummary | undefined> {
    try {
      return await sendJson<JiraProjectSummary>(this.request, route`/rest/api/3/project/${key}`);
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  }

  /** Jira's own verdict on JQL text: its error messages, if any. */
  async parseJql(jql: string): Promise<JqlParseResult> {
    const body = await sendJson<{ queries: JqlParseResult[] }>(this.request, route`/rest/api/3/jql/parse?validation=strict`, {
      method: 'POST',
      body: JSON.stringify({ queries: [jql] }),
    });
    return body.queries[0];
  }
}
