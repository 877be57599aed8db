/**
 * Which Atlassian apps the app's installation spans. The manifest declares Confluence required and Jira
 * optional (`app.compatibility`), so Jira may not be connected: the runtime lists the installation's context
 * ARIs in `getAppContext().installation.contexts` (@forge/api out/api/runtime.d.ts), one per connected app.
 */
import { getAppContext } from '@forge/api';

/** Jira's REST API cannot be reached because Jira is not connected to the app's installation. */
export class JiraNotConnectedError extends Error {
  constructor() {
    super('Jira is not connected to Postmortem Follow-Through on this site. Action items, follow-ups and the report need Jira: a site admin can connect it in the app’s settings (Connected apps).');
    this.name = 'JiraNotConnectedError';
  }
}

/** True unless the runtime says the installation has no Jira context (a runtime that says nothing is trusted). */
export function jiraConnected(): boolean {
  let contexts: unknown[] | undefined;
  try {
    contexts = getAppContext().installation?.contexts;
  } catch {
    return true; // outside an invocation
  }
  if (!Array.isArray(contexts)) return true;
  return contexts.some((c) => String(c).startsWith('ari:cloud:jira::'));
}

/** Throws JiraNotConnectedError before any Jira request when Jira is not connected. */
export function requireJira(): void {
  if (!jiraConnected()) throw new JiraNotConnectedError();
}
