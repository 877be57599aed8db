/**
 * The settings page's resolver contract, shared by the backend (src/resolvers/settings.ts) and the
 * Custom UI (static/settings): one definition, type-checked on both sides.
 */
import type { Result } from './result';
import type { Severity } from './postmortem';

export interface UnprioritizedRule {
  /** An item with no priority counts as unprioritized. */
  whenPriorityEmpty: boolean;
  /** An item still at the project's default priority counts as unprioritized. */
  whenDefaultPriority: boolean;
  /** ... but only when it also has no due date. */
  onlyWithoutDueDate: boolean;
}

export interface AppSettings {
  /** Jira project (key) and issue type (name) for new action items. */
  actionItemProjectKey: string;
  actionItemIssueType: string;
  /** An open action item is stale after this many days without an update. */
  staleAfterDays: number;
  /** Days between two follow-up comments on one item. */
  followUpIntervalDays: number;
  /** After this many follow-ups the item is flagged to the postmortem owner instead. */
  maxFollowUps: number;
  /** Count business days only (weekends and holidays skipped), in this time zone. */
  businessDaysOnly: boolean;
  timeZone: string;
  /** YYYY-MM-DD dates that are not business days. */
  holidays: string[];
  unprioritized: UnprioritizedRule;
  /** Jira priority (by name) given to a new action item, by its impact. */
  priorityByImpact: { high: string; medium: string; low: string };
  /** Confluence space (key) where postmortem pages started from an incident are created. */
  postmortemSpaceKey: string;
  /** JQL that finds incidents (which need a postmortem). */
  incidentJql: string;
  /** A postmortem is due this many business days after an incident is resolved. */
  postmortemDueBusinessDays: number;
  /** Jira project keys whose action items the follow-ups and report cover (empty = all). */
  projectsInScope: string[];
  /** Whether the weekly digest page is written (scheduled, weekly). */
  digestEnabled: boolean;
  /** Confluence space (key) the weekly digest pages go to; its watchers are told of each new page. */
  digestSpaceKey: string;
  /**
   * Publishing announces the postmortem with Jira's documented notify API on the incident issue: its reporter,
   * assignee and watchers, plus these Jira users (account ids) and groups (names). Jira emails them through
   * its own mail settings, and only those who may see the incident.
   */
  publishNotifyUsers: string[];
  publishNotifyGroups: string[];
  /**
   * EXPERIMENTAL, off by default: also email the summary over SMTP through `@forge/api/out/sendEmail`, a module
   * @forge/api does not export and no Atlassian page documents (it may stop working at any time). Its failure
   * never stops publishing.
   */
  experimentalSmtpEmail: boolean;
  /**
   * Confluence spaces (keys) whose published postmortems are announced (digest page, email), besides the
   * digest space itself. Even then, a postmortem is announced only when everyone who can read the digest
   * space can read its page (src/services/announcement-audience.ts).
   */
  announceSpaceKeys: string[];
  /** Where the experimental SMTP email goes (e.g. the engineering list); empty = no email. */
  publishEmailRecipients: string[];
  /** The SMTP server the email goes through (Forge's sendEmail relays to it) and the sender address. */
  smtpHost: string;
  smtpPort: number;
  emailFrom: string;
  /** The SMTP login's user name; empty = the server takes mail without a login. Its password is not a setting:
   * it is kept in Forge storage as a secret and never sent to the browser (see SmtpPasswordChange). */
  smtpUser: string;
  // ---- issue 16: the workflow gate on incidents ----
  /**
   * Incidents at this severity or above (SEV1 is the most severe; the incident's Jira priority decides it, as
   * *Create postmortem* does) cannot take a transition the "Postmortem published" validator guards until their
   * postmortem is published or an admin waived it.
   */
  workflowGateSeverity: Severity;
}

/** What a save does to the stored SMTP password; leaving it out keeps the stored one. */
export type SmtpPasswordChange = { set: string } | { clear: true };

export interface SettingsView {
  settings: AppSettings;
  /** Whether the viewer may change them (Jira administrators only). */
  canEdit: boolean;
  /** Whether an SMTP password is stored (the password itself never leaves the server). */
  smtpPasswordSet: boolean;
  /** Last change, for the audit line under the form. */
  lastChange?: { changedAt: string; accountId: string; summary: string };
}

export type SettingsDefinitions = {
  getSettings: () => Result<SettingsView>;
  saveSettings: (input: { settings: AppSettings; smtpPassword?: SmtpPasswordChange }) => Result<SettingsView>;
};
