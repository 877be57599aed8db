/**
 * The workflow gate on incidents (manifest `jira:workflowValidator` pft-postmortem-gate): an incident at or
 * above the settings' severity may not take the transition the admin put the gate on until its postmortem is
 * Published, or a Jira admin waived the gate for it. Pure, no I/O: the facts come from the platform (the
 * validator's payload, Jira's answer about the incident) and the app's own storage, never from issue properties.
 */
import type { Severity } from '../contract/postmortem';

export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

/** Jira priority → incident severity, as *Create postmortem* fills it (Highest = SEV1 … Low/Lowest/none = SEV4). */
export function severityOfPriority(priority: string | undefined | null): Severity {
  switch ((priority ?? '').toLowerCase()) {
    case 'highest': return 'SEV1';
    case 'high': return 'SEV2';
    case 'medium': return 'SEV3';
    default: return 'SEV4';
  }
}

/** SEV1 is the most severe: "at or above SEV2" means SEV1 or SEV2. */
export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** A Jira admin's waiver of the gate for one incident, as the app recorded it. */
export interface GateWaiver {
  issueKey: string;
  accountId: string;
  displayName: string;
  /** ISO 8601 instant. */
  waivedAt: string;
  reason: string;
}

/** The incident's postmortem as the app's index knows it (written only by the app). */
export interface GatePostmortem {
  title: string;
  /** Rebuilt from the page id against the site Jira names; never a stored or typed URL. */
  url: string;
  published: boolean;
}

export interface GateFacts {
  issueKey: string;
  severity: Severity;
  threshold: Severity;
  /** Every postmortem the index lists for this incident. */
  postmortems: GatePostmortem[];
  waiver?: GateWaiver;
  /** The incident's own page, where *Create postmortem* is (Jira offers no URL that opens an issue action). */
  incidentUrl: string;
}

export type GateDecision =
  | { allowed: true; why: 'below-threshold' | 'published' | 'waived' }
  | { allowed: false; message: string };

export function gateDecision(f: GateFacts): GateDecision {
  if (!isAtOrAbove(f.severity, f.threshold)) return { allowed: true, why: 'below-threshold' };
  if (f.postmortems.some((p) => p.published)) return { allowed: true, why: 'published' };
  if (f.waiver) return { allowed: true, why: 'waived' };
  const draft = f.postmortems[0];
  const rule = `${f.issueKey} is a ${f.severity} incident: the postmortem must be published before it can take this transition (incidents at ${f.threshold} or above).`;
  return {
    allowed: false,
    message: draft
      ? `${rule} Its postmortem “${draft.title}” is not published yet: ${draft.url}`
      : `${rule} It has no postmortem yet: use Create postmortem on the incident: ${f.incidentUrl}`,
  };
}

/** What the validator answers when it cannot tell (Jira or storage failing): refuse, and say so. */
export function gateUnavailableMessage(issueKey: string): string {
  return `The postmortem check for ${issueKey} could not run just now (Jira or the app's storage did not answer), so the transition was stopped. Try again in a moment.`;
}

export const WAIVER_REASON_MAX = 500;

/** An admin's waiver reason: required, trimmed, one paragraph of plain text. */
export function checkWaiverReason(input: unknown): { ok: true; reason: string } | { ok: false; message: string } {
  if (typeof input !== 'string') return { ok: false, message: 'Say why the postmortem gate is waived for this incident.' };
  const reason = input.replace(/\s+/g, ' ').trim();
  if (reason.length < 5) return { ok: false, message: 'Say why the postmortem gate is waived for this incident (at least 5 characters).' };
  if (reason.length > WAIVER_REASON_MAX) return { ok: false, message: `Keep the reason under ${WAIVER_REASON_MAX} characters.` };
  return { ok: true, reason };
}
