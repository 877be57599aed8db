/**
 * "Import from INC-…" (merged into the postmortem macro's resolver): the incident's history as timeline rows,
 * read as the caller, so Jira shows them only what they may see. It writes nothing — the rows are accepted in
 * the macro and saved with the postmortem, where the page's edit permission is checked — so it needs no
 * Confluence request. The key is the postmortem's incident as the macro holds it; it only names what to read,
 * with the caller's own rights.
 */
import type { IncidentTimeline } from '../contract/incident-timeline';
import { JiraClient } from '../atlassian/jira';
import { AtlassianError } from '../atlassian/request';
import { timelineFromIncidentHistory } from '../domain/incident-timeline';
import { ISSUE_KEY } from '../domain/validation';
import { readIncidentHistory } from '../services/incident-history';
import { respond, UserError } from './respond';

interface MacroContextLike {
  accountId?: string;
  localId?: string;
  extension?: { content?: { id?: string } };
}

type Target = (context: MacroContextLike) => { pageId: string; localId: string; accountId: string };

export function incidentTimelineDefinitions(macroTarget: Target) {
  return {
    importIncidentTimeline: ({ payload, context }: { payload?: { issueKey?: unknown }; context: MacroContextLike }) =>
      respond(async (): Promise<IncidentTimeline> => {
        macroTarget(context);
        const issueKey = typeof payload?.issueKey === 'string' ? payload.issueKey.trim().toUpperCase() : '';
        if (!ISSUE_KEY.test(issueKey)) {
          throw new UserError({ code: 'invalid-input', message: 'Link the postmortem to its incident first (a Jira key such as INC-42).', fieldErrors: { incidentKey: 'Use a Jira issue key such as INC-42.' } });
        }
        try {
          const history = await readIncidentHistory(JiraClient.asUser(), issueKey);
          return { issueKey: history.issueKey, entries: timelineFromIncidentHistory(history) };
        } catch (e) {
          // Jira answers a missing issue and one the caller may not browse alike (404): so does this.
          if (e instanceof AtlassianError && (e.status === 404 || e.status === 403)) {
            throw new UserError({ code: 'not-found', message: `${issueKey} does not exist or you may not see it in Jira, so its history cannot be imported. Ask someone who can see it, or check the incident key.` });
          }
          throw e;
        }
      }),
  };
}
