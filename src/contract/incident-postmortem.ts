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

// ---- issue 16: the workflow gate on this incident ----
export interface IncidentGateView {
  issueKey: string;
  /** From the incident's Jira priority (Highest = SEV1). */
  severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
  /** The settings' threshold: incidents at it or above are gated. */
  threshold: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
  /** not-gated: below the threshold; blocked: a guarded transition would be refused now (`message` says why). */
  state: 'not-gated' | 'published' | 'waived' | 'blocked';
  message: string | null;
  waiver: { displayName: string; waivedAt: string; reason: string } | null;
  /** Whether the viewer is a Jira administrator (Jira's answer), who may waive the gate. */
  canWaive: boolean;
}

export type IncidentPostmortemDefinitions = {
  /** issue 16: the gate as it stands for this incident (the issue from the context, or `issueKey` on the Confluence page). */
  getIncidentGate: (input: { issueKey?: string }) => Result<IncidentGateView>;
  /** issue 16: a Jira administrator waives the gate for the incident the Jira issue screen shows, with a reason. */
  waiveIncidentGate: (input: { reason: string }) => Result<IncidentGateView>;
  /** `issueKey` may be omitted when the module's context names the issue (the Jira issue action). */
  getIncidentPostmortem: (input: { issueKey?: string }) => Result<IncidentPostmortemView>;
  /** Creates the page, or returns the existing one: a second click never makes a second page. */
  createPostmortemPage: (input: { issueKey?: string }) => Result<PostmortemPageRef & { created: boolean }>;
};
