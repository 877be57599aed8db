/**
 * Everything the local site knows, as plain JSON (persisted to `.local-site/state.json`).
 * Jira and Confluence records keep Atlassian's field names where they have one, so that the REST
 * handlers are thin mappings.
 */

export type AccessLevel = 'admin' | 'write' | 'read';

export interface SiteUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  timeZone: string;
  /** Site admins administer Jira, Confluence and the app's settings. */
  siteAdmin: boolean;
  /** When the person last changed their profile (name): the personal data reporting API says `updated` after it. */
  profileUpdatedAt?: string;
}

// ---------- Jira ----------

export interface JiraStatus {
  id: string;
  name: string;
  /** Jira's status category keys. */
  statusCategory: 'new' | 'indeterminate' | 'done';
}

export interface JiraPriority { id: string; name: string; isDefault: boolean }
export interface JiraIssueType { id: string; name: string; description: string; subtask: boolean }
export interface JiraResolution { id: string; name: string }
export interface JiraIssueLinkType { id: string; name: string; inward: string; outward: string }

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  leadAccountId: string;
  issueTypeIds: string[];
  /** Per user: read = browse + comment, write = also create/edit/transition, admin = also administer. Absent = cannot see the project. */
  access: Record<string, AccessLevel>;
  /** Fields a create must carry, beyond summary/project/issuetype (e.g. a required custom field), per issue type id ('*' = all). */
  requiredFields: Record<string, string[]>;
}

export interface JiraComment {
  id: string;
  authorId: string;
  /** ADF document. */
  body: unknown;
  created: string;
  updated: string;
}

/** One field change in a changelog entry (Jira's `ChangeDetails`); ids in from/to, names in fromString/toString. */
export interface JiraChangeItem {
  field: string;
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** One entry of an issue's history (Jira's `Changelog`): the fields one person changed in one operation. */
export interface JiraChangelogEntry {
  id: string;
  authorId: string;
  created: string;
  items: JiraChangeItem[];
}

export interface JiraRemoteLink {
  id: number;
  globalId?: string;
  application?: { type?: string; name?: string };
  relationship?: string;
  object: { url: string; title: string; summary?: string; icon?: { url16x16?: string; title?: string }; status?: unknown };
}

export interface JiraIssueLink {
  id: string;
  typeId: string;
  /** The issue on the inward side ("is blocked by") and the one on the outward side ("blocks"). */
  inwardIssueId: string;
  outwardIssueId: string;
}

export interface JiraIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string | null;
  assigneeId: string | null;
  reporterId: string;
  summary: string;
  /** ADF document or null. */
  description: unknown;
  labels: string[];
  /** YYYY-MM-DD or null. */
  duedate: string | null;
  created: string;
  updated: string;
  resolutionId: string | null;
  resolutiondate: string | null;
  /** customfield_NNNNN → value. */
  customFields: Record<string, unknown>;
  /** Issue (entity) properties: key → JSON value. */
  properties: Record<string, unknown>;
  comments: JiraComment[];
  remoteLinks: JiraRemoteLink[];
  /** Status, resolution, priority and assignee changes, oldest first (absent = none: state saved before it was kept). */
  changelog?: JiraChangelogEntry[];
  /** Account ids watching the issue (Jira's watchers; absent = nobody). */
  watchers?: string[];
}

/** A Jira group (user management), for notifications addressed to groups. */
export interface JiraGroup { groupId: string; name: string; members: string[] }

export interface JiraCustomField { id: string; name: string; schemaType: 'string' | 'number' | 'option' | 'user' | 'date' | 'array' }

/**
 * A saved filter. Who may see it: its owner, and those its share permissions reach — `global` (everyone),
 * `project` (whoever may browse that project). Other share types are not modelled.
 */
export interface JiraFilter {
  id: string;
  name: string;
  jql: string;
  description?: string;
  ownerAccountId: string;
  sharePermissions: ({ type: 'global' } | { type: 'project'; projectId: string })[];
}

/** A gadget on a dashboard: which app module it is and the configuration its edit view submitted (absent = not yet configured). */
export interface JiraDashboardGadget {
  id: string;
  moduleKey: string;
  configuration?: Record<string, unknown>;
}

/** A dashboard: its owner edits it (adds, configures, removes gadgets); everyone may view it (shared with all, as Jira's default system dashboard). */
export interface JiraDashboard {
  id: string;
  name: string;
  ownerAccountId: string;
  gadgets: JiraDashboardGadget[];
}

export interface JiraState {
  statuses: JiraStatus[];
  priorities: JiraPriority[];
  issueTypes: JiraIssueType[];
  resolutions: JiraResolution[];
  issueLinkTypes: JiraIssueLinkType[];
  customFields: JiraCustomField[];
  projects: JiraProject[];
  issues: JiraIssue[];
  issueLinks: JiraIssueLink[];
  /** The site's groups (absent = none). */
  groups?: JiraGroup[];
  /** Saved filters (absent in state saved before filters existed = none). */
  filters?: JiraFilter[];
  /** Dashboards and their gadgets (absent in state saved before dashboards existed = none). */
  dashboards?: JiraDashboard[];
  /** Monotonic counters for ids; issue numbers are per project key. */
  counters: { issueId: number; commentId: number; remoteLinkId: number; issueLinkId: number; perProject: Record<string, number>; changelogId?: number };
  /** issue 16: app validators a Jira admin added to workflow transitions (absent = none; local-site/jira/workflows.ts). */
  workflowRules?: WorkflowRule[];
}

/** An app's workflow validator on one transition of one project's workflow. */
export interface WorkflowRule {
  id: string;
  projectKey: string;
  /** The transition (the site's transition id is its target status id). */
  transitionId: string;
  /** The manifest's jira:workflowValidator module key. */
  validatorKey: string;
  addedBy: string;
  addedAt: string;
}

// ---------- Confluence ----------

export interface ConfluenceSpace {
  id: string;
  key: string;
  name: string;
  homepageId: string;
  access: Record<string, AccessLevel>;
}

export interface ConfluenceProperty { id: string; key: string; value: unknown; version: { number: number; createdAt: string; authorId: string } }

export interface ConfluencePage {
  id: string;
  spaceId: string;
  parentId: string | null;
  title: string;
  status: 'current' | 'draft' | 'trashed';
  /** ADF document. */
  body: unknown;
  authorId: string;
  createdAt: string;
  version: { number: number; createdAt: string; authorId: string; message: string };
  labels: { id: string; prefix: 'global' | 'my' | 'team'; name: string }[];
  properties: ConfluenceProperty[];
  /** Edit restricted to these users (besides space admins); null = anyone with space write access. */
  editRestrictedTo: string[] | null;
  /** View restricted to these users (Confluence's read restriction; binds space admins too); absent/null = the space decides. */
  viewRestrictedTo?: string[] | null;
}

export interface ConfluenceState {
  spaces: ConfluenceSpace[];
  pages: ConfluencePage[];
  counters: { spaceId: number; pageId: number; propertyId: number; labelId: number };
}

// ---------- Forge platform ----------

export interface KvsValue { value: unknown; createdAt: number; updatedAt: number; expireTime?: number }

export interface KvsState {
  /** Plain key/value store. */
  values: Record<string, KvsValue>;
  secrets: Record<string, KvsValue>;
  /** entityName → key → value. */
  entities: Record<string, Record<string, KvsValue>>;
}

export interface QueuedEvent {
  id: string;
  queueKey: string;
  jobId: string;
  body: unknown;
  /** Site-clock epoch ms when it becomes due. */
  dueAt: number;
  attempt: number;
  /** The installation that pushed it: its consumer runs there (absent = the first). */
  installationId?: string;
  /**
   * The invocation at the root of the chain of pushes that led to this event (the first push's invocation):
   * the platform's cyclic invocation limit counts push requests per root. Consumers get no user: the pusher's
   * account is not passed on (asUser() in a consumer is undocumented, so the site refuses it).
   */
  chainRoot?: string;
  /** What the consumer said when it asked for this retry (InvocationError), handed back in retryContext. */
  retryReason?: string;
  retryData?: unknown;
}

export interface PlatformState {
  kvs: KvsState;
  /**
   * Users who have allowed the app to act for them (Forge's "Allow access" consent). Anyone else gets the
   * proxy's NEEDS_AUTHENTICATION_ERR on every asUser() call.
   */
  consentedUsers: string[];
  /** Optional Atlassian apps an admin disconnected from the app's installation (absent = all connected). */
  disconnected?: ('confluence' | 'jira')[];
  /**
   * The app version deployed on the site (platform/app-version.ts): its major.minor and what each was made from,
   * so a restart with changed code is a new version. Absent in state from before it was kept.
   */
  appVersion?: { major: number; minor: number; permissionsHash: string; codeHash: string };
  /** A major upgrade whose `avi:forge:upgraded:app` event has not been delivered yet. */
  pendingUpgradeEvent?: boolean;
  /** Storage of installations other than the first (only an app without `app.compatibility` spanning two apps has one). */
  otherInstallations?: Record<string, { kvs: KvsState }>;
  queue: QueuedEvent[];
  /** Scheduled trigger key → site-clock epoch ms of its last run. */
  lastTriggerRun: Record<string, number>;
  /** Chain root invocation id → push requests made in that chain (cyclic invocation limit); absent in older saves. */
  pushChains?: Record<string, number>;
  /** Emails the site's SMTP catcher received (what the app's sendEmail relayed): the site's inbox. */
  outbox: {
    id: string;
    at: string;
    /** Envelope recipients. */
    to: string[];
    subject: string;
    /** The plain-text part. */
    body: unknown;
    from?: string;
    cc?: string;
    messageId?: string;
    html?: string;
  }[];
}

export interface SiteState {
  /** Bumped when the seed changes shape; older state files are re-seeded. */
  schemaVersion: number;
  /** Offset in ms added to the wall clock: the site's controllable clock. */
  clockOffsetMs: number;
  users: SiteUser[];
  jira: JiraState;
  confluence: ConfluenceState;
  platform: PlatformState;
  /** Closed Atlassian accounts (local-site/platform/privacy.ts): gone from `users`, reported `closed` to the app. */
  closedAccounts?: { accountId: string; closedAt: string }[];
  /**
   * Each user's theme (Atlassian's per-user appearance setting: light or dark), by account id; absent = light.
   * Optional, so state files saved before it still load.
   */
  themes?: Record<string, 'light' | 'dark'>;
}
