/**
 * issue 16: the workflow gate on the incident's screen (the *Create postmortem* issue action): whether a
 * guarded transition would pass now, and a Jira administrator's waiver for this one incident.
 */
import type { IncidentGateView } from '../contract/incident-postmortem';
import type { Result } from '../contract/result';
import { JiraClient } from '../atlassian/jira';
import { gateState, waiveGate, WaiverRefused } from '../services/workflow-gate';
import { ISSUE_KEY } from '../domain/validation';
import { respond, UserError } from './respond';

interface GateContext { siteUrl?: string; extension?: { issue?: { key?: string } } }

async function viewOf(issueKey: string, siteUrl: string): Promise<IncidentGateView> {
  const jira = JiraClient.asUser();
  const [state, canWaive] = await Promise.all([gateState(jira, issueKey, siteUrl), jira.hasGlobalPermission('ADMINISTER')]);
  const d = state.decision;
  return {
    issueKey: state.issueKey,
    severity: state.severity,
    threshold: state.threshold,
    state: d.allowed ? (d.why === 'below-threshold' ? 'not-gated' : d.why) : 'blocked',
    message: d.allowed ? null : d.message,
    waiver: state.waiver ? { displayName: state.waiver.displayName, waivedAt: state.waiver.waivedAt, reason: state.waiver.reason } : null,
    canWaive,
  };
}

function keyOf(raw: unknown): string {
  const key = (typeof raw === 'string' ? raw : '').trim().toUpperCase();
  if (!ISSUE_KEY.test(key)) throw new UserError({ code: 'invalid-input', message: 'Give an incident issue key such as INC-12.', fieldErrors: { issueKey: 'Not a Jira issue key.' } });
  return key;
}

/** Spread into the incident resolver (src/resolvers/incident-postmortem.ts). */
export const incidentGateHandlers = {
  getIncidentGate: ({ payload, context }: { payload: { issueKey?: string }; context: GateContext }): Promise<Result<IncidentGateView>> =>
    respond(() => viewOf(keyOf(payload?.issueKey ?? context.extension?.issue?.key), String(context.siteUrl ?? ''))),

  waiveIncidentGate: ({ payload, context }: { payload: { reason: string }; context: GateContext }): Promise<Result<IncidentGateView>> =>
    respond(async () => {
      // The incident is the one the Jira issue screen shows (platform context), never one named in the request.
      const issueKey = context.extension?.issue?.key;
      if (!issueKey) throw new UserError({ code: 'forbidden', message: 'Waive the postmortem gate from the incident in Jira.' });
      try {
        await waiveGate(keyOf(issueKey), payload?.reason, new Date());
      } catch (e) {
        if (e instanceof WaiverRefused) throw new UserError({ code: e.code, message: e.message, ...(e.code === 'invalid-input' ? { fieldErrors: { reason: e.message } } : {}) });
        throw e;
      }
      return viewOf(keyOf(issueKey), String(context.siteUrl ?? ''));
    }),
};
