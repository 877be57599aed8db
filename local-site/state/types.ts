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
  /** Account ids watching the issue (Jira's watchers; absent = nobody). */
  watchers?: string[];
}

/** A Jira group (user management), for notifications addressed to groups. */
export interface JiraGroup { groupId: string; name: string; members: string[] }

export interface JiraCustomField { id: string; name: string; schemaType: 'string' | 'number' | 'option' | 'user' | 'date' | 'array' }

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
  /** Monotonic counters for ids; issue numbers are per project key. */
  counters: { issueId: number; commentId: number; remoteLinkId: number; issueLinkId: number; perProject: Record<string, number> };
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
  /**
   * Each user's theme (Atlassian's per-user appearance setting: light or dark), by account id; absent = light.
   * Optional, so state files saved before it still load.
   */
  themes?: Record<string, 'light' | 'dark'>;
}
