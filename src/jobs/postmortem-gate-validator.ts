/**
 * The `jira:workflowValidator` function (manifest pft-postmortem-gate): Jira calls it on every transition an
 * admin added the "Postmortem published" validator to, with `{ issue: { key }, transition, configuration }`
 * (developer.atlassian.com/platform/forge/manifest-reference/modules/jira-workflow-validator, "Validating with
 * lambda functions"), and expects `{ result, errorMessage }`. The issue key is the only input used: the
 * transition screen's `modifiedFields` are what a person typed, and the app's storage says what is published.
 *
 * The page documents no answer for a function that throws or times out (only that a failing *expression*
 * validator evaluates to false), so this function never leaves it to the platform: whatever fails, it
 * refuses the transition and says why (fail closed).
 */
import { JiraClient } from '../atlassian/jira';
import { gateState } from '../services/workflow-gate';
import { gateUnavailableMessage } from '../domain/workflow-gate';
import { ISSUE_KEY } from '../domain/validation';

export interface ValidatorResult { result: boolean; errorMessage?: string }

export async function postmortemGateValidator(args: { issue?: { key?: unknown } } | undefined): Promise<ValidatorResult> {
  const issueKey = typeof args?.issue?.key === 'string' ? args.issue.key : '';
  if (!ISSUE_KEY.test(issueKey)) return { result: false, errorMessage: 'The postmortem check got no work item to check, so the transition was stopped.' };
  try {
    const state = await gateState(JiraClient.asApp(), issueKey);
    return state.decision.allowed ? { result: true } : { result: false, errorMessage: state.decision.message };
  } catch (e) {
    console.error(`The postmortem gate could not check ${issueKey}`, e);
    return { result: false, errorMessage: gateUnavailableMessage(issueKey) };
  }
}
