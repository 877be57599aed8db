/**
 * The weekly digest (scheduled trigger, as the app): a Confluence page per week in the space an admin chose,
 * listing the postmortems published that week and the action items completed, so that everyone watching the
 * space hears about them (Confluence tells a space's watchers about each new page).
 *
 * Idempotent: the page's title names the week and is unique in its space, so a rerun (the platform may fire a
 * trigger twice) finds the page it made and changes it only if what it lists changed; two runs racing to create
 * it end with one page (Confluence refuses the second title).
 */
import { ConfluenceClient, type PageSummary } from '../atlassian/confluence';
import { JiraClient } from '../atlassian/jira';
import { jiraConnected } from '../atlassian/installation';
import { AtlassianError } from '../atlassian/request';
import { pageLink } from '../domain/site-links';
import { appIssues, type AppIssueRecord } from '../store/app-issues';
import { deepEqual } from '../domain/postmortem-merge';
import { addDaysToLocalDate } from '../domain/time-zone';
import { digestTitle, inWeek, previousWeek, type Week } from '../domain/publish';
import { digestPage, type DigestActionItem, type DigestPostmortem } from '../adf/digest-page';
import { digestEntries } from '../store/digest';
import { loadSettings } from '../store/settings';
import { AnnouncementAudience } from '../services/announcement-audience';

export interface DigestOutcome {
  week: string;
  /** What happened to the page: made, brought up to date, already current, or not written (nothing to report / no space). */
  page: 'created' | 'updated' | 'unchanged' | 'empty' | 'no-space';
  pageId?: string;
  postmortems: number;
  completed: number;
}

/** Action items (issues the app created) that reached Done during the week, with where they came from. */
async function completedItems(jira: JiraClient, week: Week): Promise<{ item: DigestActionItem; pageId: string; projectKey: string }[]> {
  // Jira reads JQL dates in its own time zone: ask for a day more on each side, then keep the exact week.
  const jql = `pmCreatedAt IS NOT EMPTY AND statusCategory = Done AND resolved >= "${addDaysToLocalDate(week.start, -1)}" AND resolved < "${addDaysToLocalDate(week.end, 2)}" ORDER BY resolved ASC`;
  const found = await jira.searchAll(jql, ['summary', 'resolutiondate', 'assignee']);
  // Only issues the app created (its own record, not the property anyone may write); links rebuilt from ids.
  const origins = found.length ? await appIssues(found.map((i) => String(i.id))) : new Map<string, AppIssueRecord>();
  return found
    .filter((i) => origins.has(String(i.id)) && inWeek(week, i.fields.resolutiondate as string | null))
    .map((i) => {
      const origin = origins.get(String(i.id))!;
      const item: DigestActionItem = {
        key: i.key,
        summary: String(i.fields.summary ?? ''),
        resolvedAt: new Date(i.fields.resolutiondate as string).toISOString(),
        assignee: (i.fields.assignee?.displayName) ?? null,
        postmortemTitle: origin.postmortemTitle,
        postmortemUrl: pageLink(origin.siteUrl, origin.pageId) ?? '',
      };
      return { item, pageId: origin.pageId, projectKey: i.key.slice(0, i.key.lastIndexOf('-')) };
    });
}

async function findOrCreate(confluence: ConfluenceClient, spaceId: string, title: string, adf: unknown): Promise<{ page: PageSummary; created: boolean }> {
  const found = await confluence.findPageByTitle(spaceId, title);
  if (found) return { page: found, created: false };
  try {
    return { page: await confluence.createPage({ spaceId, title, adf }), created: true };
  } catch (e) {
    // Another run created it between our search and our create: use that one.
    if (e instanceof AtlassianError && e.status === 400) {
      const again = await confluence.findPageByTitle(spaceId, title);
      if (again) return { page: again, created: false };
    }
    throw e;
  }
}

/** Writes (or brings up to date) the digest page of one week. */
export async function writeDigest(week: Week): Promise<DigestOutcome> {
  const settings = await loadSettings();
  const confluence = ConfluenceClient.asApp();
  const entries = await digestEntries(week.id);
  // Jira is optional: without it the digest lists the published postmortems only.
  const done = jiraConnected() ? await completedItems(JiraClient.asApp(), week) : [];
  const found = { week: week.id, postmortems: entries.length, completed: done.length };
  if (!entries.length && !done.length) return { ...found, page: 'empty' };

  // Only what every reader of the digest space may see is named; the rest is counted (src/services/announcement-audience.ts).
  const audience = await AnnouncementAudience.of(settings);
  const space = audience && (await confluence.findSpaceByKey(settings.digestSpaceKey));
  if (!audience || !space) {
    console.error(`Weekly digest: the space ${settings.digestSpaceKey} does not exist or the app cannot see it`);
    return { ...found, page: 'no-space' };
  }
  const pageIds = [...new Set([...entries.map((e) => e.pageId), ...done.map((d) => d.pageId)])];
  const pages = new Map<string, { id: string; spaceId: string }>();
  for (let i = 0; i < pageIds.length; i += 100) for (const pg of await confluence.pagesByIds(pageIds.slice(i, i + 100))) pages.set(String(pg.id), { id: String(pg.id), spaceId: String(pg.spaceId) });
  const nameable = async (pageId: string) => {
    const page = pages.get(pageId);
    return !!page && (await audience.mayName(page));
  };
  const postmortems: DigestPostmortem[] = [];
  for (const e of entries) {
    if (await nameable(e.pageId)) postmortems.push({ title: e.title, severity: e.severity, pageUrl: e.pageUrl, incidentKey: e.incidentKey, publishedAt: e.publishedAt, ownerName: e.ownerName });
  }
  const completed: DigestActionItem[] = [];
  for (const d of done) if ((await nameable(d.pageId)) && (await audience.maySeeProject(d.projectKey))) completed.push(d.item);
  const restricted = { postmortems: entries.length - postmortems.length, completed: done.length - completed.length };
  const counts = { week: week.id, postmortems: postmortems.length, completed: completed.length };
  const title = digestTitle(week);
  const adf = digestPage({ week, postmortems, completed, restricted, siteUrl: siteUrlOf([...postmortems.map((p) => p.pageUrl), ...completed.map((c) => c.postmortemUrl)]) });
  const { page, created } = await findOrCreate(confluence, space.id, title, adf);
  if (created) return { ...counts, page: 'created', pageId: page.id };
  const current = await confluence.getPageWithBody(page.id);
  if (deepEqual(current.adf, adf)) return { ...counts, page: 'unchanged', pageId: page.id };
  await confluence.updatePage({ id: page.id, title, adf, version: current.version.number + 1, message: 'Weekly digest brought up to date' });
  return { ...counts, page: 'updated', pageId: page.id };
}

/**
 * The site's base URL, for issue links in a page written without a user context: Jira and Confluence share
 * it (…/browse/KEY and …/wiki/…), and every postmortem link the app stored starts with it.
 */
export function siteUrlOf(pageUrls: string[]): string {
  for (const url of pageUrls) {
    const i = url.indexOf('/wiki/');
    if (i >= 0) return url.slice(0, i);
  }
  return '';
}

/** The scheduled trigger: the digest of the last complete week (Monday to Sunday in the settings' time zone). */
export async function weeklyDigestTrigger(): Promise<{ statusCode: number }> {
  const settings = await loadSettings();
  if (!settings.digestEnabled) return { statusCode: 204 };
  await writeDigest(previousWeek(new Date(), settings.timeZone));
  return { statusCode: 200 };
}
