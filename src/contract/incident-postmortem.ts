/**
 * Starting a postmortem from an incident: the Jira issue action and the Confluence app page share this
 * contract (src/resolvers/incident-postmortem.ts ↔ static/incident).
 */
import type { Result } from './result';

export interface IncidentSummary {
  key: string;
  summary: string;
  status: string;
  resolved: string | null;
  assignee: string | null;
}

export interface PostmortemPageRef {
  pageId: string;
  title: string;
  url: string;
}

export interface IncidentPostmortemView {
  incident: IncidentSummary;
  /** The postmortem page already started for this incident, if any. */
  existing: PostmortemPageRef | null;
  /** Where a new page would go. */
  spaceKey: string;
  /** Why no postmortem can be started from this issue (an action item, or not matched by the incident JQL); null for an incident. */
  notIncident: string | null;
  /** The site's time zone (the app settings'), in which dates are shown. */
  timeZone: string;
}

export type IncidentPostmortemDefinitions = {
  /** `issueKey` may be omitted when the module's context names the issue (the Jira issue action). */
  getIncidentPostmortem: (input: { issueKey?: string }) => Result<IncidentPostmortemView>;
  /** Creates the page, or returns the existing one: a second click never makes a second page. */
  createPostmortemPage: (input: { issueKey?: string }) => Result<PostmortemPageRef & { created: boolean }>;
};
