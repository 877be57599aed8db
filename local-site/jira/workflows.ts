/**
 * issue 16: Jira workflows on the local site. Each project has one workflow, "<KEY> workflow", whose
 * transitions go to every status (the transition id is the target status id, as in issues.ts). A Jira
 * administrator adds an app's `jira:workflowValidator` to a transition (Jira: Project settings → Workflows →
 * Transition → Validators; developer.atlassian.com/platform/forge/manifest-reference/modules/jira-workflow-validator).
 * The rules live in the site state, so they survive restarts. Running them is the site's job (site.ts), since
 * it invokes the app's function through the runtime seam.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../http/types';
import type { JiraState, SiteUser, WorkflowRule } from '../state/types';
import { isSiteAdmin } from './permissions';

export type RuleOutcome = { ok: true; rule?: WorkflowRule } | { ok: false; status: number; message: string };

export function workflowRules(jira: JiraState): WorkflowRule[] {
  return jira.workflowRules ?? [];
}

/** The validators guarding one transition of a project's workflow, in the order they were added. */
export function rulesFor(jira: JiraState, projectKey: string, transitionId: string): WorkflowRule[] {
  return workflowRules(jira).filter((r) => r.projectKey === projectKey && r.transitionId === transitionId);
}

/** Only Jira administrators configure workflows (Jira: "Administer Jira" global permission). */
export function addRule(
  jira: JiraState,
  users: SiteUser[],
  actor: Actor,
  input: { projectKey: string; transitionId: string; validatorKey: string },
  validatorKeys: string[],
  now: Date,
): RuleOutcome {
  if (actor.kind !== 'user' || !isSiteAdmin({ users }, actor)) return { ok: false, status: 403, message: 'Only Jira administrators can change workflows.' };
  if (!jira.projects.some((p) => p.key === input.projectKey)) return { ok: false, status: 404, message: `There is no project ${input.projectKey}.` };
  if (!jira.statuses.some((s) => s.id === input.transitionId)) return { ok: false, status: 400, message: `The ${input.projectKey} workflow has no transition ${input.transitionId}.` };
  if (!validatorKeys.includes(input.validatorKey)) return { ok: false, status: 400, message: `No installed app provides the validator ${input.validatorKey}.` };
  const existing = rulesFor(jira, input.projectKey, input.transitionId).find((r) => r.validatorKey === input.validatorKey);
  if (existing) return { ok: true, rule: existing };
  const rule: WorkflowRule = { id: randomUUID(), ...input, addedBy: actor.accountId, addedAt: now.toISOString() };
  (jira.workflowRules ??= []).push(rule);
  return { ok: true, rule };
}

export function removeRule(jira: JiraState, users: SiteUser[], actor: Actor, ruleId: string): RuleOutcome {
  if (actor.kind !== 'user' || !isSiteAdmin({ users }, actor)) return { ok: false, status: 403, message: 'Only Jira administrators can change workflows.' };
  const before = workflowRules(jira).length;
  jira.workflowRules = workflowRules(jira).filter((r) => r.id !== ruleId);
  return jira.workflowRules.length < before ? { ok: true } : { ok: false, status: 404, message: 'That validator is no longer on the workflow.' };
}

/** The message Jira shows when a validator refuses without one of its own. */
export const DEFAULT_VALIDATOR_MESSAGE = 'The transition failed validation.';
