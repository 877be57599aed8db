/**
 * The postmortem document as the macro stores it (one Confluence page property per macro, by localId)
 * and as the UI edits it. Shared by the backend and the Custom UI.
 */

/** The statuses in workflow order; the one list every check, filter and menu uses. */
export const POSTMORTEM_STATUSES = ['draft', 'in-review', 'reviewed', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];
/** Most to least severe; the one list every check, filter, chart and menu uses. */
export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const LEVELS = ['low', 'medium', 'high'] as const;
export type Level = (typeof LEVELS)[number];

export const TIMELINE_KINDS = ['initial-failure', 'detection', 'response', 'remediation', 'resolution', 'note'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  id: string;
  /** ISO 8601 instant, or null when the line had no time we could read (kept as a note). */
  at: string | null;
  kind: TimelineKind;
  text: string;
  /** Who said or did it, when the entry came from a chat log. */
  author?: string;
}

/** The essay's four "what failed" prompts, in the order the template asks them. */
export const FAILURE_CATEGORIES = ['detection', 'escalation', 'resilience', 'documentation'] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export interface WhatFailedAnswer {
  category: FailureCategory;
  notes: string;
}

export const ACTION_ITEM_STATES = ['proposed', 'accepted', 'dropped'] as const;
export type ActionItemState = (typeof ACTION_ITEM_STATES)[number];

export interface ActionItemOwner {
  kind: 'user' | 'team';
  /** accountId for a user, team name for a team. */
  id: string;
  displayName: string;
}

export interface ActionItem {
  id: string;
  title: string;
  description: string;
  owner: ActionItemOwner | null;
  effort: Level;
  impact: Level;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  state: ActionItemState;
  /** Required when state is 'dropped'. */
  dropReason?: string;
  /** The "what failed" answer it came from, if any. */
  fromFailure?: FailureCategory;
  /** Set once the Jira issue exists (issue 4). */
  issue?: { key: string; id: string };
}

export interface Postmortem {
  /** Bumped when the stored shape changes. */
  schema: 1;
  title: string;
  status: PostmortemStatus;
  severity: Severity;
  /** Jira incident issue key, optional. */
  incidentKey: string | null;
  summary: string;
  impact: string;
  timeline: TimelineEntry[];
  rootCause: string;
  /** The Five Whys chain: each answer explains the one before. */
  fiveWhys: string[];
  whatFailed: WhatFailedAnswer[];
  actionItems: ActionItem[];
  incidentOwner: ActionItemOwner | null;
  attendees: ActionItemOwner[];
  stakeholders: ActionItemOwner[];
  /** ISO instant of the review meeting, or null. */
  reviewMeetingAt: string | null;
  /** Jira project/issue type for the action items (defaults from the app settings). */
  actionItemProjectKey: string;
  actionItemIssueType: string;
  /** Service / failure-category tags, for finding repeats across postmortems. */
  tags: string[];
  /** Changes of the incident owner once in review or later: written by the app on save, never taken from an editor. */
  ownerChanges?: OwnerChange[];
}

export interface OwnerChange {
  /** ISO instant. */
  at: string;
  byAccountId: string;
  byName: string;
  from: ActionItemOwner | null;
  to: ActionItemOwner | null;
}
