/**
 * How an accepted action item becomes a Jira issue: the fields, the issue property that lets JQL find every
 * action item (and recover one created by a run that crashed before recording it), and the JQL itself.
 * Pure: the resolver and the consumer do the I/O.
 */
import type { ActionItem, Level, Postmortem } from '../contract/postmortem';

/** The issue property every action-item issue carries (declared as a jira:entityProperty in the manifest). */
export const ACTION_ITEM_PROPERTY = 'postmortem-action-item';
export const ACTION_ITEM_LABEL = 'postmortem-action-item';

/**
 * A second property the follow-up job writes on its own (so it never rewrites the action-item property):
 * `{ humanActivityAt }`, indexed as `pmHumanActivityAt`, the last human activity the app knew of when it last
 * commented. Only used to find candidates with JQL; decisions read the app's records in Forge storage.
 */
export const FOLLOW_UP_PROPERTY = 'postmortem-follow-up';
export interface FollowUpProperty {
  humanActivityAt: string;
}

export interface ActionItemProperty {
  /** Unique across the site: page / macro / item. Indexed for JQL as `pmItemId`. */
  itemId: string;
  pageId: string;
  localId: string;
  postmortemTitle: string;
  /** Where the postmortem lives, for links from comments and panels written without a user context. */
  pageUrl: string;
  incidentKey: string | null;
  /** Indexed as `pmCreatedAt`. */
  createdAt: string;
  /**
   * Indexed as `pmImpactPriority`: the priority the app set from the item's impact. Jira's default priority
   * chosen this way is a choice, not "unprioritized".
   */
  impactPriority?: string;
  /**
   * The secret token of the app's creation attempt (src/store/app-issues.ts). Anyone who may edit the issue
   * can write this property: only a token the app recorded makes the recovery take the issue as the item's.
   */
  creationToken?: string;
}

export const itemRef = (pageId: string, localId: string, itemId: string) => `${pageId}/${localId}/${itemId}`;

/** A JQL string literal: quotes and backslashes escaped, so that user text can never change the query. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** JQL finding the issues already created for these items (the recovery after a crash or a lost response). */
export function issuesForItemsJql(refs: string[]): string {
  return `pmItemId in (${refs.map(jqlString).join(', ')})`;
}

/** A label for a team owner (Jira labels take no spaces). */
export function teamLabel(team: string): string {
  const slug = team.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `team-${slug || 'unnamed'}`.slice(0, 255);
}

export type PriorityByImpact = Record<Level, string>;

export interface IssueContext {
  pageId: string;
  localId: string;
  pageUrl: string;
  projectKey: string;
  issueType: string;
  priorityByImpact: PriorityByImpact;
  now: string;
  /** This attempt's token (src/store/app-issues.ts), written into the property. */
  creationToken?: string;
  /** The incident to link each issue to at creation (only when the creator can see it). */
  linkToIncident?: string;
  /** The project's "Team" field, when its create screen has one: a team owner is set there as well as in a label. */
  teamField?: TeamField;
}

/** A text or single-select field named "Team" on the create screen (Atlassian Teams need a team id, not a name). */
export interface TeamField {
  id: string;
  kind: 'text' | 'option';
  /** For a select: the options it takes, matched case-insensitively to the team name. */
  options?: string[];
}

/** The Team field of a create screen (Jira's createmeta fields), if there is one the app can fill with a name. */
export function findTeamField(fields: { fieldId: string; name: string; schema?: { type?: string }; allowedValues?: { value?: string }[] }[]): TeamField | undefined {
  const f = fields.find((x) => x.fieldId.startsWith('customfield_') && x.name.trim().toLowerCase() === 'team' && (x.schema?.type === 'string' || x.schema?.type === 'option'));
  if (!f) return undefined;
  return f.schema?.type === 'option' ? { id: f.fieldId, kind: 'option', options: (f.allowedValues ?? []).flatMap((v) => (v.value ? [v.value] : [])) } : { id: f.fieldId, kind: 'text' };
}

/** The Team field's value for an item owned by a team, or undefined (no field, not a team, no such option). */
export function teamFieldValue(item: ActionItem, field: TeamField | undefined): { id: string; value: unknown } | undefined {
  if (!field || item.owner?.kind !== 'team') return undefined;
  const team = item.owner.id.trim();
  if (field.kind === 'text') return { id: field.id, value: team.slice(0, 255) };
  const option = field.options?.find((o) => o.toLowerCase() === team.toLowerCase());
  return option ? { id: field.id, value: { value: option } } : undefined;
}

export interface IssueDraft {
  fields: Record<string, unknown>;
  update?: Record<string, unknown>;
  properties: { key: string; value: ActionItemProperty }[];
}

/** The issue fields for an item (description comes from src/adf). */
export function issueDraft(item: ActionItem, pm: Postmortem, ctx: IssueContext, description: unknown): IssueDraft {
  const labels = ['postmortem', ACTION_ITEM_LABEL, ...(item.owner?.kind === 'team' ? [teamLabel(item.owner.id)] : [])];
  const team = teamFieldValue(item, ctx.teamField);
  return {
    fields: {
      project: { key: ctx.projectKey },
      issuetype: { name: ctx.issueType },
      summary: item.title.trim().slice(0, 255),
      description,
      labels,
      priority: { name: ctx.priorityByImpact[item.impact] },
      ...(item.owner?.kind === 'user' ? { assignee: { accountId: item.owner.id } } : {}),
      ...(item.dueDate ? { duedate: item.dueDate } : {}),
      ...(team ? { [team.id]: team.value } : {}),
    },
    // Linked to the incident in the same call that creates it: no extra request per item.
    ...(ctx.linkToIncident ? { update: { issuelinks: [{ add: { type: { name: 'Relates' }, inwardIssue: { key: ctx.linkToIncident } } }] } } : {}),
    properties: [
      {
        key: ACTION_ITEM_PROPERTY,
        value: { itemId: itemRef(ctx.pageId, ctx.localId, item.id), pageId: ctx.pageId, localId: ctx.localId, postmortemTitle: pm.title, pageUrl: ctx.pageUrl, incidentKey: pm.incidentKey, createdAt: ctx.now, impactPriority: ctx.priorityByImpact[item.impact], ...(ctx.creationToken ? { creationToken: ctx.creationToken } : {}) },
      },
    ],
  };
}

/** Items a "Create all" acts on: accepted, titled, and without an issue yet (optionally only the named ones). */
export function itemsToCreate(pm: Postmortem, itemIds?: string[]): ActionItem[] {
  const wanted = itemIds ? new Set(itemIds) : undefined;
  return pm.actionItems.filter((i) => i.state === 'accepted' && !i.issue && (!wanted || wanted.has(i.id)));
}

/** Splits a list into chunks of at most `size` (Jira's bulk create takes 50 issues per call). */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
