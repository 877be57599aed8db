/**
 * The workflow gate's use cases: what the validator answers for a transition, what the incident's screen
 * shows, and an admin's waiver. Facts come from the platform (the validator payload's issue key, Jira's
 * priority and base URL, Jira's verdict on who is an admin) and the app's own storage (the index, the
 * publish runs, the waivers): never from issue properties or anything else a person can write.
 */
import { JiraClient } from '../atlassian/jira';
import { pageUrl } from '../atlassian/confluence';
import { loadSettings } from '../store/settings';
import { findByIncident } from '../store/postmortem-index';
import { loadPublishRun } from '../store/publish-runs';
import { loadWaiver, recordWaiver } from '../store/gate-waivers';
import { checkWaiverReason, gateDecision, severityOfPriority, type GateDecision, type GatePostmortem, type GateWaiver } from '../domain/workflow-gate';
import type { Severity } from '../contract/postmortem';

export interface GateState {
  issueKey: string;
  severity: Severity;
  threshold: Severity;
  decision: GateDecision;
  waiver: GateWaiver | null;
}

/** A postmortem counts as published only when the app's own Publish recorded it (`publish-run:*`). */
async function postmortemsOf(issueKey: string, siteUrl: string): Promise<GatePostmortem[]> {
  const entries = await findByIncident(issueKey);
  const out: GatePostmortem[] = [];
  for (const e of entries) {
    const run = await loadPublishRun(e.pageId, e.localId);
    out.push({ title: e.title, url: pageUrl(siteUrl, e.pageId), published: Boolean(run?.steps.status) });
  }
  // The published one first, so a refusal names the newest draft.
  return out.sort((a, b) => Number(b.published) - Number(a.published));
}

/**
 * The gate for one incident, read with `jira` (as the app in the validator, as the user on the incident's
 * screen). `siteUrl` is the platform's (UI context); without it Jira's serverInfo names the site, asked only
 * when a refusal needs links.
 */
export async function gateState(jira: JiraClient, issueKey: string, siteUrl?: string): Promise<GateState> {
  const [issue, settings, waiver] = await Promise.all([jira.getIssue(issueKey, ['priority']), loadSettings(), loadWaiver(issueKey)]);
  const severity = severityOfPriority(issue.fields.priority?.name);
  const threshold = settings.workflowGateSeverity;
  const facts = { issueKey: issue.key, severity, threshold, waiver, postmortems: [] as GatePostmortem[], incidentUrl: '' };
  let decision = gateDecision(facts);
  if (!decision.allowed || decision.why !== 'below-threshold') {
    const site = siteUrl || (await jira.siteBaseUrl());
    decision = gateDecision({ ...facts, postmortems: await postmortemsOf(issue.key, site), incidentUrl: `${site}/browse/${issue.key}` });
  }
  return { issueKey: issue.key, severity, threshold, decision, waiver: waiver ?? null };
}

export class WaiverRefused extends Error {
  constructor(readonly code: 'forbidden' | 'invalid-input', message: string) {
    super(message);
    this.name = 'WaiverRefused';
  }
}

/** A Jira administrator (Jira's answer for the calling user) waives the gate for one incident, with a reason. */
export async function waiveGate(issueKey: string, reasonInput: unknown, now: Date): Promise<GateWaiver> {
  const jira = JiraClient.asUser();
  if (!(await jira.hasGlobalPermission('ADMINISTER'))) throw new WaiverRefused('forbidden', 'Only Jira administrators can waive the postmortem gate.');
  const checked = checkWaiverReason(reasonInput);
  if (!checked.ok) throw new WaiverRefused('invalid-input', checked.message);
  // The incident must exist and be visible to the admin (404 otherwise); its key is Jira's spelling.
  const issue = await jira.getIssue(issueKey, ['priority']);
  const me = await jira.myself();
  return recordWaiver({ issueKey: issue.key, accountId: me.accountId, displayName: me.displayName, waivedAt: now.toISOString(), reason: checked.reason });
}
