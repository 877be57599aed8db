/**
 * The daily follow-up run (scheduled trigger, as the app). It lets Jira find the open action items that are
 * unassigned, unprioritized, stale or overdue, and fans them out through a queue in small batches, so that
 * 10,000 open items and 1,000 due follow-ups fit the platform's limits. It also finds resolved incidents
 * still without a postmortem. Skips weekends and holidays when business days are configured.
 */
import { Queue } from '@forge/events';
import { JiraClient, type SearchedIssue } from '../atlassian/jira';
import { jiraConnected } from '../atlassian/installation';
import { businessDaysCutoff, isBusinessDay } from '../domain/business-days';
import { dueItemsJql, incidentSearchJql } from '../domain/follow-up';
import { ACTION_ITEM_PROPERTY, FOLLOW_UP_PROPERTY, type ActionItemProperty, type FollowUpProperty } from '../domain/action-item-issue';
import { pageLink } from '../domain/site-links';
import { appIssues, type AppIssueRecord } from '../store/app-issues';
import { loadSettings } from '../store/settings';
import { defaultPriorityName } from '../services/default-priority';
import { eventsOf, pushesOf } from './queue-payloads';

export const FOLLOW_UP_QUEUE = 'follow-ups';
/**
 * Items per queue event: one search page. Each event re-reads its items in one bulk fetch (at most 100) and
 * writes their follow-up property notes together, so fuller events spend fewer Jira calls.
 */
export const ITEMS_PER_EVENT = 100;
/** JSON per event and per push, under the 200 KB per push that @forge/events refuses past. */
const EVENT_BYTES = 60 * 1024;
const PUSH_BYTES = 180 * 1024;
const EVENTS_PER_PUSH = 10;

/** What a consumer needs to decide and write one follow-up, without reading the issue again. */
export interface DueItem {
  /** Jira's issue id (absent in events queued before it was sent): the consumer re-reads the batch by id. */
  id?: string;
  key: string;
  assigneeId: string | null;
  priorityName: string | null;
  /** The priority the app set from impact (from its property). */
  impactPriority: string | null;
  dueDate: string | null;
  /** The issue's `updated`; the consumer turns it into the last human activity with the app's records. */
  updated: string;
  /** The human activity in the app's follow-up property (what JQL saw), so the consumer rewrites it only when it changes. */
  notedHumanActivityAt: string | null;
  item: Pick<ActionItemProperty, 'pageId' | 'localId' | 'postmortemTitle' | 'pageUrl'>;
}

export interface DueIncident { key: string; assigneeId: string | null; resolved: string }

export type FollowUpEvent = { kind: 'items'; runDate: string; defaultPriority: string | null; items: DueItem[] } | { kind: 'incidents'; runDate: string; incidents: DueIncident[] };

export const noted = (p: unknown): string | null => {
  const at = (p as Partial<FollowUpProperty> | undefined)?.humanActivityAt;
  return typeof at === 'string' && at.length <= 40 ? at : null;
};

/**
 * Only issues the app created (its own record, src/store/app-issues.ts) are followed up: a property a person
 * set on some other issue never makes the app comment there. The postmortem link is rebuilt from the page id.
 * The impact priority still comes from the property: whoever may edit it may as well set the priority itself.
 */
const toDueItem = (issue: SearchedIssue, origin: AppIssueRecord | undefined): DueItem | undefined => {
  // `updated` is asked for in every search; an answer without it cannot be judged stale or not.
  if (!origin || typeof issue.fields.updated !== 'string') return undefined;
  const prop = (issue.properties?.[ACTION_ITEM_PROPERTY] ?? {}) as Partial<ActionItemProperty>;
  return {
    id: String(issue.id),
    key: issue.key,
    assigneeId: issue.fields.assignee?.accountId ?? null,
    priorityName: issue.fields.priority?.name ?? null,
    impactPriority: typeof prop.impactPriority === 'string' ? prop.impactPriority.slice(0, 255) : null,
    dueDate: issue.fields.duedate ?? null,
    updated: issue.fields.updated,
    notedHumanActivityAt: noted(issue.properties?.[FOLLOW_UP_PROPERTY]),
    item: { pageId: origin.pageId, localId: origin.localId, postmortemTitle: origin.postmortemTitle, pageUrl: pageLink(origin.siteUrl, origin.pageId) ?? '' },
  };
};

async function push(events: FollowUpEvent[]): Promise<number> {
  const queue = new Queue({ key: FOLLOW_UP_QUEUE });
  for (const group of pushesOf(events, EVENTS_PER_PUSH, PUSH_BYTES)) await queue.push(group.map((body) => ({ body: body })));
  return events.length;
}

export async function followUpTrigger(): Promise<{ statusCode: number }> {
  // Follow-ups are Jira comments: nothing to do while Jira is not connected (it is optional).
  if (!jiraConnected()) return { statusCode: 204 };
  const now = new Date();
  const settings = await loadSettings();
  if (settings.businessDaysOnly && !isBusinessDay(now, { timeZone: settings.timeZone, holidays: settings.holidays })) {
    return { statusCode: 204 }; // a weekend or a holiday: nobody gets nagged today
  }
  const runDate = now.toISOString().slice(0, 10);
  const jira = JiraClient.asApp();
  const defaultPriority = await defaultPriorityName(jira);

  // Each search page (100 issues) is queued as it comes: the run never holds every due item at once.
  for await (const found of jira.searchPages(dueItemsJql(settings, defaultPriority), ['assignee', 'priority', 'duedate', 'updated'], [ACTION_ITEM_PROPERTY, FOLLOW_UP_PROPERTY])) {
    const origins = found.length ? await appIssues(found.map((i) => String(i.id))) : new Map<string, AppIssueRecord>();
    const due = found.map((i) => toDueItem(i, origins.get(String(i.id)))).filter((x): x is DueItem => !!x);
    await push(eventsOf(due, ITEMS_PER_EVENT, EVENT_BYTES, (items): FollowUpEvent => ({ kind: 'items', runDate, defaultPriority, items })));
  }

  // Incidents whose postmortem is overdue (more than N business days since their resolution, within the last
  // 90 days) that may lack one: exactly those `postmortemOverdue` calls overdue are resolved before this cut-off.
  const cutoff = businessDaysCutoff(now, settings.postmortemDueBusinessDays + 1, { timeZone: settings.timeZone, holidays: settings.holidays });
  const incidentJql = incidentSearchJql(settings.incidentJql, cutoff);
  const incidents = (await jira.searchAll(incidentJql, ['assignee', 'resolutiondate'])).map((i) => ({ key: i.key, assigneeId: i.fields.assignee?.accountId ?? null, resolved: i.fields.resolutiondate as string }));
  const incidentEvents = eventsOf(incidents, ITEMS_PER_EVENT, EVENT_BYTES, (list): FollowUpEvent => ({ kind: 'incidents', runDate, incidents: list }));

  await push(incidentEvents);
  return { statusCode: 200 };
}
