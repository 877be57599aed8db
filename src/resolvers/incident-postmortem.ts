/**
 * "Create postmortem" on a Jira incident (issue action) and on the app's Confluence page: makes the page
 * "Postmortem: <incident summary>" with the macro prefilled from the incident, links the incident to it,
 * and — on a second click, a retry or a concurrent click — opens the existing page instead.
 */
import { makeResolver } from '@forge/resolver';
import { getAppContext } from '@forge/api';
import { randomUUID } from 'node:crypto';
import type { IncidentPostmortemDefinitions, IncidentPostmortemView, PostmortemPageRef } from '../contract/incident-postmortem';
import type { Severity } from '../contract/postmortem';
import { JiraClient, type JiraIssue } from '../atlassian/jira';
import { ConfluenceClient, pageUrl } from '../atlassian/confluence';
import { newPostmortem } from '../domain/postmortem-defaults';
import { findPostmortemMacro, postmortemPageBody } from '../adf/postmortem-page';
import { loadSettings } from '../store/settings';
import { findByIncident, upsertIndexEntry } from '../store/postmortem-index';
import { acquireLease, completeLease, readLease, releaseLease } from '../store/leases';
import { propertyKey } from './postmortem-macro';
import { currentDocument } from '../store/postmortem-document';
import { respond, UserError } from './respond';
import { ISSUE_KEY } from '../domain/validation';
import { ACTION_ITEM_PROPERTY, jqlString } from '../domain/action-item-issue';
import { incidentGateHandlers } from './incident-gate'; // issue 16

const INCIDENT_FIELDS = ['summary', 'status', 'created', 'resolutiondate', 'assignee', 'priority', 'issuetype', 'project'];
const LEASE_SECONDS = 120;

interface IncidentContext { accountId?: string; siteUrl?: string; extension?: { issue?: { key?: string } } }

function issueKeyFrom(payload: { issueKey?: string } | undefined, context: IncidentContext): string {
  const key = String(payload?.issueKey ?? context.extension?.issue?.key ?? '').trim().toUpperCase();
  if (!ISSUE_KEY.test(key)) throw new UserError({ code: 'invalid-input', message: 'Give an incident issue key such as INC-12.', fieldErrors: { issueKey: 'Not a Jira issue key.' } });
  return key;
}

/** Jira priority → postmortem severity (Highest = SEV1 … Low/Lowest = SEV4). */
export function severityFor(priority: string | undefined): Severity {
  switch ((priority ?? '').toLowerCase()) {
    case 'highest': return 'SEV1';
    case 'high': return 'SEV2';
    case 'medium': return 'SEV3';
    default: return 'SEV4';
  }
}

/** Jira writes `2026-11-20T14:03:11.123+0000`; the postmortem stores ISO 8601 (`…Z`), which its validation accepts. */
function isoInstant(jiraTime: string | null | undefined): string | null {
  const t = jiraTime ? Date.parse(jiraTime) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}


/** The postmortem page already made for this incident that this user can open, if any. */
async function existingPage(issueKey: string, siteUrl: string): Promise<PostmortemPageRef | null> {
  const confluence = ConfluenceClient.asUser();
  for (const entry of await findByIncident(issueKey)) {
    try {
      const page = await confluence.getPage(entry.pageId);
      if (page.status === 'current') return { pageId: page.id, title: page.title, url: pageUrl(siteUrl, page.id, page._links?.webui) };
    } catch (e) {
      if ((e as { status?: number }).status !== 404) throw e; // deleted, or not visible to this user
    }
  }
  return null;
}

async function readIncident(issueKey: string): Promise<JiraIssue> {
  try {
    return await JiraClient.asUser().getIssue(issueKey, INCIDENT_FIELDS);
  } catch (e) {
    if ((e as { status?: number }).status === 404) throw new UserError({ code: 'not-found', message: `There is no issue ${issueKey} that you can see.` });
    throw e;
  }
}

async function createPage(issue: JiraIssue, siteUrl: string): Promise<PostmortemPageRef> {
  const settings = await loadSettings();
  const confluence = ConfluenceClient.asUser();
  const space = await confluence.findSpaceByKey(settings.postmortemSpaceKey);
  if (!space) throw new UserError({ code: 'not-found', message: `The postmortem space ${settings.postmortemSpaceKey} does not exist or you cannot see it; ask an admin to check the app settings.` });

  const summary = issue.fields.summary ?? issue.key;
  const assignee = issue.fields.assignee;
  const postmortem = newPostmortem({
    title: summary,
    incidentKey: issue.key,
    severity: severityFor(issue.fields.priority?.name),
    actionItemProjectKey: settings.actionItemProjectKey,
    actionItemIssueType: settings.actionItemIssueType,
    owner: assignee ? { kind: 'user', id: assignee.accountId, displayName: assignee.displayName } : null,
    detectedAt: isoInstant(issue.fields.created),
    resolvedAt: isoInstant(issue.fields.resolutiondate),
  });

  // A page with our title and our macro is one an earlier attempt made before it failed: finish that one.
  let page: { id: string; title: string; webui?: string } | undefined;
  let localId: string | undefined;
  for (const title of [`Postmortem: ${summary}`, `Postmortem: ${summary} (${issue.key})`].map((t) => t.slice(0, 255))) {
    const existing = await confluence.findPageByTitle(space.id, title);
    if (!existing) {
      const { appAri, environmentAri } = getAppContext();
      localId = randomUUID();
      const created = await confluence.createPage({
        spaceId: space.id,
        title,
        adf: postmortemPageBody({ incidentKey: issue.key, incidentUrl: `${siteUrl}/browse/${issue.key}`, appId: appAri.appId, environmentId: environmentAri.environmentId, localId }),
      });
      page = { id: created.id, title: created.title, webui: created._links?.webui };
      break;
    }
    const withBody = await confluence.getPageWithBody(existing.id);
    localId = findPostmortemMacro(withBody.adf);
    if (localId) {
      page = { id: existing.id, title: existing.title, webui: existing._links?.webui };
      break;
    }
  }
  if (!page || !localId) throw new UserError({ code: 'conflict', message: `Pages named "Postmortem: ${summary}" already exist in ${space.key}; rename one and try again.` });

  const stored = currentDocument(await confluence.findProperty<typeof postmortem>(page.id, propertyKey(localId))) ?? (await confluence.createProperty(page.id, propertyKey(localId), postmortem));
  await upsertIndexEntry({ pageId: page.id, localId, spaceKey: space.key, spaceId: space.id, postmortem: stored.value, now: new Date().toISOString() });
  const url = pageUrl(siteUrl, page.id, page.webui);
  // The incident points at its postmortem; the globalId makes a repeat update the same link.
  await JiraClient.asApp().upsertRemoteLink(issue.key, {
    globalId: `pft-postmortem-page:${page.id}`,
    relationship: 'postmortem',
    object: { url, title: page.title, summary: 'Blameless postmortem', icon: { title: 'Postmortem' } },
  });
  return { pageId: page.id, title: page.title, url };
}

/**
 * Why this issue cannot have a postmortem started from it, or null when it is an incident: an action item
 * the app created (its property) is not one, nor is an issue the admin's incident JQL does not match. Asked
 * of Jira as the user, in one search.
 */
async function notAnIncident(issueKey: string): Promise<string | null> {
  const settings = await loadSettings();
  const jira = JiraClient.asUser();
  const found = await jira.searchAll(`key = ${jqlString(issueKey)} AND (${settings.incidentJql})`, ['issuetype'], [ACTION_ITEM_PROPERTY], 1).catch((e: unknown) => {
    if ((e as { status?: number }).status === 400) return undefined; // the JQL no longer parses: do not block on it
    throw e;
  });
  const prop = await jira.getIssueProperty<{ postmortemTitle?: unknown }>(issueKey, ACTION_ITEM_PROPERTY);
  if (prop && typeof prop === 'object') {
    const title = typeof prop.postmortemTitle === 'string' ? ` from the postmortem “${prop.postmortemTitle.slice(0, 200)}”` : '';
    return `${issueKey} is an action item${title}, not an incident: postmortems are started from the incident itself.`;
  }
  if (found && !found.length) return `${issueKey} is not an incident (the app's incident search, ${settings.incidentJql}, does not find it): postmortems are started from incidents.`;
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const incidentPostmortemResolver = makeResolver<IncidentPostmortemDefinitions>({
  ...incidentGateHandlers, // issue 16: the workflow gate on this incident
  getIncidentPostmortem: ({ payload, context }) =>
    respond(async (): Promise<IncidentPostmortemView> => {
      const issueKey = issueKeyFrom(payload, context);
      const issue = await readIncident(issueKey);
      const settings = await loadSettings();
      return {
        incident: {
          key: issue.key,
          summary: issue.fields.summary ?? '',
          status: issue.fields.status?.name ?? '',
          resolved: issue.fields.resolutiondate ?? null,
          assignee: issue.fields.assignee?.displayName ?? null,
        },
        existing: await existingPage(issue.key, String(context.siteUrl ?? '')),
        spaceKey: settings.postmortemSpaceKey,
        notIncident: await notAnIncident(issue.key),
        timeZone: settings.timeZone,
      };
    }),

  createPostmortemPage: ({ payload, context }) =>
    respond(async () => {
      const issueKey = issueKeyFrom(payload, context);
      const siteUrl = String(context.siteUrl ?? '');
      const issue = await readIncident(issueKey);
      const found = await existingPage(issue.key, siteUrl);
      if (found) return { ...found, created: false };
      const refusal = await notAnIncident(issue.key);
      if (refusal) throw new UserError({ code: 'invalid-input', message: refusal });

      const lease = `create-postmortem:${issue.key}`;
      const me = randomUUID();
      if (!(await acquireLease(lease, me, LEASE_SECONDS))) {
        // Someone else is creating it right now: wait for their page rather than making a second one.
        for (let i = 0; i < 40; i += 1) {
          const done = await readLease<PostmortemPageRef>(lease);
          if (done?.result) return { ...done.result, created: false };
          const again = await existingPage(issue.key, siteUrl);
          if (again) return { ...again, created: false };
          if (!done) break;
          await sleep(250);
        }
        throw new UserError({ code: 'conflict', message: 'The postmortem page is being created by someone else; open the incident again in a moment.' });
      }
      try {
        const ref = await createPage(issue, siteUrl);
        await completeLease(lease, me, ref, LEASE_SECONDS);
        return { ...ref, created: true };
      } catch (e) {
        // Free the lease so that a retry can finish the job right away (it adopts a half-made page).
        await releaseLease(lease).catch(() => undefined);
        throw e;
      }
    }),
});
