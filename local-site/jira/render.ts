/**
 * Turns the site's Jira records into the JSON Jira Cloud REST v3 sends (shapes per
 * /work/shared/atlassian-openapi/jira-platform-v3.json). No permission checks here.
 */
import type {
  JiraChangelogEntry,
  JiraComment,
  JiraCustomField,
  JiraIssue,
  JiraIssueLink,
  JiraIssueLinkType,
  JiraIssueType,
  JiraPriority,
  JiraProject,
  JiraRemoteLink,
  JiraResolution,
  JiraState,
  JiraStatus,
  SiteUser,
} from '../state/types';
import type { Actor } from '../http/types';

export const DEFAULT_BASE_URL = 'https://local-site.atlassian.net';
const API = '/rest/api/3';
/** How many comments an issue's `comment` field carries (the rest are paged from the comment endpoint). */
const ISSUE_FIELD_COMMENTS = 100;

/** The account the app acts as (asApp): reporter/author of what it creates. */
export const APP_ACCOUNT_ID = '712020:postmortem-follow-through-app';
export const APP_DISPLAY_NAME = 'Postmortem Follow-Through';

export function actorAccountId(actor: Actor): string {
  return actor.kind === 'app' ? APP_ACCOUNT_ID : actor.accountId;
}

/** Jira's timestamp format: `2026-11-20T14:03:11.123+0000` (always UTC here). */
export function jiraDate(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toISOString().replace('Z', '+0000');
}

const CATEGORY: Record<JiraStatus['statusCategory'], { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, name: 'Done', colorName: 'green' },
};

const PRIORITY_COLOR: Record<string, string> = {
  Highest: '#d04437',
  High: '#f15C75',
  Medium: '#f79232',
  Low: '#707070',
  Lowest: '#999999',
};

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  navigable: boolean;
  orderable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema: Record<string, unknown>;
}

const sys = (id: string, name: string, schema: Record<string, unknown>, opts: Partial<FieldDef> = {}): FieldDef => ({
  id,
  name,
  custom: false,
  navigable: true,
  orderable: true,
  searchable: true,
  clauseNames: [id],
  schema: { ...schema, system: id },
  ...opts,
});

/** The system fields the local Jira knows (what GET /field lists and issues carry). */
export const SYSTEM_FIELDS: FieldDef[] = [
  sys('summary', 'Summary', { type: 'string' }),
  sys('description', 'Description', { type: 'string' }),
  sys('issuetype', 'Issue Type', { type: 'issuetype' }, { clauseNames: ['issuetype', 'type'] }),
  sys('project', 'Project', { type: 'project' }),
  sys('status', 'Status', { type: 'status' }, { orderable: false }),
  sys('priority', 'Priority', { type: 'priority' }),
  sys('assignee', 'Assignee', { type: 'user' }),
  sys('reporter', 'Reporter', { type: 'user' }),
  sys('creator', 'Creator', { type: 'user' }, { orderable: false }),
  sys('labels', 'Labels', { type: 'array', items: 'string' }),
  sys('duedate', 'Due date', { type: 'date' }, { clauseNames: ['due', 'duedate'] }),
  sys('created', 'Created', { type: 'datetime' }, { orderable: false, clauseNames: ['created', 'createdDate'] }),
  sys('updated', 'Updated', { type: 'datetime' }, { orderable: false, clauseNames: ['updated', 'updatedDate'] }),
  sys('resolution', 'Resolution', { type: 'resolution' }),
  sys('resolutiondate', 'Resolved', { type: 'datetime' }, { orderable: false, clauseNames: ['resolved', 'resolutiondate'] }),
  sys('issuelinks', 'Linked Issues', { type: 'array', items: 'issuelinks' }, { clauseNames: ['issueLink'] }),
  sys('comment', 'Comment', { type: 'comments-page' }, { navigable: false, clauseNames: ['comment'] }),
];

const CUSTOM_TYPES: Record<JiraCustomField['schemaType'], { type: string; custom: string; items?: string }> = {
  string: { type: 'string', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textfield' },
  number: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' },
  option: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select' },
  user: { type: 'user', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker' },
  date: { type: 'date', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker' },
  array: { type: 'array', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:labels', items: 'string' },
};

export function customFieldDef(f: JiraCustomField): FieldDef {
  const t = CUSTOM_TYPES[f.schemaType];
  const customId = Number(f.id.replace('customfield_', ''));
  return {
    id: f.id,
    name: f.name,
    custom: true,
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: [`cf[${customId}]`, f.name],
    schema: { type: t.type, ...(t.items ? { items: t.items } : {}), custom: t.custom, customId },
  };
}

export function allFieldDefs(jira: JiraState): FieldDef[] {
  return [...SYSTEM_FIELDS, ...jira.customFields.map(customFieldDef)];
}

/** Which issue fields a `fields=` selection asks for. */
export type FieldSelection = (fieldId: string) => boolean;

/**
 * Parses Jira's `fields` parameter: comma lists (possibly repeated), `*all`, `*navigable`, `-field`
 * exclusions, plain field ids. Only exclusions means "navigable minus those". `dflt` applies when
 * nothing is given (GET issue: `*all`; search: `id`, i.e. no fields).
 */
export function parseFieldSelection(raw: readonly string[] | undefined, dflt: '*all' | '*navigable' | 'id'): FieldSelection {
  let tokens = (raw ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (tokens.length === 0) tokens = [dflt];
  let all = false;
  let navigable = false;
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const t of tokens) {
    if (t === '*all') all = true;
    else if (t === '*navigable') navigable = true;
    else if (t.startsWith('-')) exclude.add(t.slice(1));
    else include.add(t);
  }
  if (!all && !navigable && include.size === 0) navigable = true;
  const nonNavigable = new Set(SYSTEM_FIELDS.filter((f) => !f.navigable).map((f) => f.id));
  return (id) => !exclude.has(id) && (all || include.has(id) || (navigable && !nonNavigable.has(id)));
}

export interface IssueRenderOptions {
  fields: FieldSelection;
  /** Issue property keys to include under `properties` (`*all` = every one); undefined = none. */
  properties?: string[];
  /** Expansions (unknown ones are ignored): names, transitions, changelog, renderedFields. */
  expand?: Set<string>;
}

/** Renders records for one request: knows the base URL and the site's users. */
export class JiraRenderer {
  constructor(
    private readonly jira: JiraState,
    private readonly users: SiteUser[],
    readonly base: string = DEFAULT_BASE_URL,
  ) {}

  private url(path: string): string {
    return `${this.base}${API}${path}`;
  }

  avatarUrls(accountId: string): Record<string, string> {
    const at = (size: number) => `${this.base}/avatars/${encodeURIComponent(accountId)}?size=${size}`;
    return { '48x48': at(48), '24x24': at(24), '16x16': at(16), '32x32': at(32) };
  }

  /** A user object as Jira shows it inside issues and in user APIs (no email address). */
  user(accountId: string): Record<string, unknown> {
    const self = this.url(`/user?accountId=${encodeURIComponent(accountId)}`);
    if (accountId === APP_ACCOUNT_ID) {
      return { self, accountId, avatarUrls: this.avatarUrls(accountId), displayName: APP_DISPLAY_NAME, active: true, timeZone: 'UTC', accountType: 'app' };
    }
    const u = this.users.find((x) => x.accountId === accountId);
    if (!u) {
      return { self, accountId, avatarUrls: this.avatarUrls(accountId), displayName: 'Former user', active: false, timeZone: 'UTC', accountType: 'atlassian' };
    }
    return { self, accountId, avatarUrls: this.avatarUrls(accountId), displayName: u.displayName, active: true, timeZone: u.timeZone, accountType: 'atlassian' };
  }

  /** The fuller `User` of /myself, /user, /user/search. */
  fullUser(accountId: string): Record<string, unknown> {
    return { ...this.user(accountId), locale: 'en_US' };
  }

  statusCategory(key: JiraStatus['statusCategory']): Record<string, unknown> {
    const c = CATEGORY[key];
    return { self: this.url(`/statuscategory/${c.id}`), id: c.id, key, colorName: c.colorName, name: c.name };
  }

  status(s: JiraStatus): Record<string, unknown> {
    return {
      self: this.url(`/status/${s.id}`),
      description: '',
      iconUrl: `${this.base}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: this.statusCategory(s.statusCategory),
    };
  }

  priority(p: JiraPriority): Record<string, unknown> {
    return {
      self: this.url(`/priority/${p.id}`),
      statusColor: PRIORITY_COLOR[p.name] ?? '#707070',
      description: `${p.name} priority`,
      iconUrl: `${this.base}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
      name: p.name,
      id: p.id,
      isDefault: p.isDefault,
    };
  }

  /** The short priority shown inside an issue. */
  issuePriority(p: JiraPriority): Record<string, unknown> {
    return { self: this.url(`/priority/${p.id}`), iconUrl: `${this.base}/images/icons/priorities/${p.name.toLowerCase()}.svg`, name: p.name, id: p.id };
  }

  issueType(t: JiraIssueType): Record<string, unknown> {
    return {
      self: this.url(`/issuetype/${t.id}`),
      id: t.id,
      description: t.description,
      iconUrl: `${this.base}/images/icons/issuetypes/${t.name.toLowerCase()}.svg`,
      name: t.name,
      subtask: t.subtask,
      avatarId: 10300 + Number(t.id) % 100,
      hierarchyLevel: t.subtask ? -1 : t.name === 'Epic' ? 1 : 0,
    };
  }

  resolution(r: JiraResolution): Record<string, unknown> {
    return { self: this.url(`/resolution/${r.id}`), id: r.id, description: `Resolved as ${r.name}.`, name: r.name };
  }

  linkType(t: JiraIssueLinkType): Record<string, unknown> {
    return { id: t.id, name: t.name, inward: t.inward, outward: t.outward, self: this.url(`/issueLinkType/${t.id}`) };
  }

  projectAvatarUrls(p: JiraProject): Record<string, string> {
    const at = (size: number) => `${this.base}/rest/api/3/universal_avatar/view/type/project/avatar/${p.id}?size=${size}`;
    return { '48x48': at(48), '24x24': at(24), '16x16': at(16), '32x32': at(32) };
  }

  /** The short project inside an issue. */
  issueProject(p: JiraProject): Record<string, unknown> {
    return { self: this.url(`/project/${p.id}`), id: p.id, key: p.key, name: p.name, projectTypeKey: 'software', simplified: false, avatarUrls: this.projectAvatarUrls(p) };
  }

  /** A project as /project/search (`full` = false, plus `expand`ed parts) and /project/{key} (`full`) show it. */
  project(p: JiraProject, opts: { full?: boolean; expand?: Set<string> } = {}): Record<string, unknown> {
    const expand = opts.expand ?? new Set<string>();
    const out: Record<string, unknown> = {
      expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
      self: this.url(`/project/${p.id}`),
      id: p.id,
      key: p.key,
      name: p.name,
      avatarUrls: this.projectAvatarUrls(p),
      projectTypeKey: 'software',
      simplified: false,
      style: 'classic',
      isPrivate: false,
      properties: {},
    };
    if (opts.full || expand.has('description')) out.description = '';
    if (opts.full || expand.has('lead')) out.lead = this.user(p.leadAccountId);
    if (opts.full || expand.has('issueTypes')) {
      out.issueTypes = p.issueTypeIds
        .map((id) => this.jira.issueTypes.find((t) => t.id === id))
        .filter((t): t is JiraIssueType => !!t)
        .map((t) => this.issueType(t));
    }
    if (opts.full) {
      out.components = [];
      out.versions = [];
      out.assigneeType = 'UNASSIGNED';
      out.roles = {};
    }
    return out;
  }

  fieldDetails(f: FieldDef): Record<string, unknown> {
    return {
      id: f.id,
      key: f.id,
      name: f.name,
      custom: f.custom,
      orderable: f.orderable,
      navigable: f.navigable,
      searchable: f.searchable,
      clauseNames: f.clauseNames,
      schema: f.schema,
    };
  }

  comment(issue: JiraIssue, c: JiraComment): Record<string, unknown> {
    return {
      self: this.url(`/issue/${issue.id}/comment/${c.id}`),
      id: c.id,
      author: this.user(c.authorId),
      body: c.body,
      updateAuthor: this.user(c.authorId),
      created: jiraDate(c.created),
      updated: jiraDate(c.updated),
      jsdPublic: true,
    };
  }

  /** A history entry (Jira's `Changelog`). An empty side is left out: the document types from/to as strings, never null. */
  changelog(e: JiraChangelogEntry): Record<string, unknown> {
    return {
      id: e.id,
      author: this.user(e.authorId),
      created: jiraDate(e.created),
      items: e.items.map((i) => ({
        field: i.field,
        fieldtype: 'jira',
        fieldId: i.fieldId,
        ...(i.from !== null ? { from: i.from } : {}),
        ...(i.fromString !== null ? { fromString: i.fromString } : {}),
        ...(i.to !== null ? { to: i.to } : {}),
        ...(i.toString !== null ? { toString: i.toString } : {}),
      })),
    };
  }

  remoteLink(issue: JiraIssue, l: JiraRemoteLink): Record<string, unknown> {
    const out: Record<string, unknown> = { id: l.id, self: this.url(`/issue/${issue.id}/remotelink/${l.id}`) };
    if (l.globalId !== undefined) out.globalId = l.globalId;
    if (l.application !== undefined) out.application = l.application;
    if (l.relationship !== undefined) out.relationship = l.relationship;
    out.object = l.object;
    return out;
  }

  /** The summary of a linked issue (Jira's `LinkedIssue`). */
  linkedIssue(i: JiraIssue): Record<string, unknown> {
    const fields: Record<string, unknown> = { summary: i.summary };
    const status = this.jira.statuses.find((s) => s.id === i.statusId);
    if (status) fields.status = this.status(status);
    const priority = this.jira.priorities.find((p) => p.id === i.priorityId);
    if (priority) fields.priority = this.issuePriority(priority);
    const type = this.jira.issueTypes.find((t) => t.id === i.issueTypeId);
    if (type) fields.issuetype = this.issueType(type);
    return { id: i.id, key: i.key, self: this.url(`/issue/${i.id}`), fields };
  }

  /** A link as GET /issueLink/{id} shows it: both sides. */
  issueLink(l: JiraIssueLink): Record<string, unknown> | undefined {
    const type = this.jira.issueLinkTypes.find((t) => t.id === l.typeId);
    const inward = this.jira.issues.find((i) => i.id === l.inwardIssueId);
    const outward = this.jira.issues.find((i) => i.id === l.outwardIssueId);
    if (!type || !inward || !outward) return undefined;
    return {
      id: l.id,
      self: this.url(`/issueLink/${l.id}`),
      type: this.linkType(type),
      inwardIssue: this.linkedIssue(inward),
      outwardIssue: this.linkedIssue(outward),
    };
  }

  /**
   * A link as seen from one of its issues (the `issuelinks` field): the OTHER issue under
   * `outwardIssue` when this issue is the link's inward issue, under `inwardIssue` otherwise.
   */
  issueLinkFrom(issue: JiraIssue, l: JiraIssueLink, visible: (i: JiraIssue) => boolean): Record<string, unknown> | undefined {
    const type = this.jira.issueLinkTypes.find((t) => t.id === l.typeId);
    const otherId = l.inwardIssueId === issue.id ? l.outwardIssueId : l.inwardIssueId;
    const other = this.jira.issues.find((i) => i.id === otherId);
    if (!type || !other || !visible(other)) return undefined;
    const side = l.inwardIssueId === issue.id ? 'outwardIssue' : 'inwardIssue';
    return { id: l.id, self: this.url(`/issueLink/${l.id}`), type: this.linkType(type), [side]: this.linkedIssue(other) };
  }

  issueSelf(issue: JiraIssue): string {
    return this.url(`/issue/${issue.id}`);
  }

  /** One field's value as Jira renders it, or undefined for a field id the issue does not have. */
  fieldValue(issue: JiraIssue, id: string, visible: (i: JiraIssue) => boolean): unknown {
    const j = this.jira;
    switch (id) {
      case 'summary': return issue.summary;
      case 'description': return issue.description ?? null;
      case 'issuetype': {
        const t = j.issueTypes.find((x) => x.id === issue.issueTypeId);
        return t ? this.issueType(t) : null;
      }
      case 'project': {
        const p = j.projects.find((x) => x.id === issue.projectId);
        return p ? this.issueProject(p) : null;
      }
      case 'status': {
        const s = j.statuses.find((x) => x.id === issue.statusId);
        return s ? this.status(s) : null;
      }
      case 'priority': {
        const p = j.priorities.find((x) => x.id === issue.priorityId);
        return p ? this.issuePriority(p) : null;
      }
      case 'assignee': return issue.assigneeId ? this.user(issue.assigneeId) : null;
      case 'reporter':
      case 'creator': return this.user(issue.reporterId);
      case 'labels': return [...issue.labels];
      case 'duedate': return issue.duedate;
      case 'created': return jiraDate(issue.created);
      case 'updated': return jiraDate(issue.updated);
      case 'resolution': {
        const r = j.resolutions.find((x) => x.id === issue.resolutionId);
        return r ? this.resolution(r) : null;
      }
      case 'resolutiondate': return issue.resolutiondate ? jiraDate(issue.resolutiondate) : null;
      case 'issuelinks':
        return j.issueLinks
          .filter((l) => l.inwardIssueId === issue.id || l.outwardIssueId === issue.id)
          .map((l) => this.issueLinkFrom(issue, l, visible))
          .filter((x): x is Record<string, unknown> => !!x);
      case 'comment': {
        // The oldest 100 only, with the true total (guess, stricter than Cloud may be: how many comments the
        // issue's field carries is not documented), so a client must page the rest from /issue/{key}/comment.
        const shown = [...issue.comments].sort((a, b) => a.created.localeCompare(b.created) || Number(a.id) - Number(b.id)).slice(0, ISSUE_FIELD_COMMENTS);
        return {
          comments: shown.map((c) => this.comment(issue, c)),
          self: this.url(`/issue/${issue.id}/comment`),
          maxResults: ISSUE_FIELD_COMMENTS,
          total: issue.comments.length,
          startAt: 0,
        };
      }
      default:
        if (j.customFields.some((f) => f.id === id)) return issue.customFields[id] ?? null;
        return undefined;
    }
  }

  /** An issue (Jira's `IssueBean`). `visible` hides linked issues the caller may not browse. */
  issue(issue: JiraIssue, opts: IssueRenderOptions, visible: (i: JiraIssue) => boolean = () => true): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const defs = allFieldDefs(this.jira);
    for (const def of defs) {
      if (!opts.fields(def.id)) continue;
      const v = this.fieldValue(issue, def.id, visible);
      if (v !== undefined) fields[def.id] = v;
    }
    const out: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: this.issueSelf(issue),
      key: issue.key,
    };
    if (opts.properties && opts.properties.length > 0) {
      out.properties = selectProperties(issue.properties, opts.properties);
    }
    out.fields = fields;
    const expand = opts.expand ?? new Set<string>();
    if (expand.has('names')) {
      out.names = Object.fromEntries(defs.filter((d) => d.id in fields).map((d) => [d.id, d.name]));
    }
    if (expand.has('schema')) {
      out.schema = Object.fromEntries(defs.filter((d) => d.id in fields).map((d) => [d.id, d.schema]));
    }
    if (expand.has('changelog')) {
      // The first 100 entries with the true total (guess: Cloud's cut is not documented); the rest from /changelog.
      const all = issue.changelog ?? [];
      const shown = all.slice(0, 100);
      out.changelog = { startAt: 0, maxResults: shown.length, total: all.length, histories: shown.map((e) => this.changelog(e)) };
    }
    return out;
  }
}

/** Picks the requested issue properties: keys, `*all`, `-key` exclusions. */
export function selectProperties(props: Record<string, unknown>, wanted: string[]): Record<string, unknown> {
  const tokens = wanted.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const all = tokens.includes('*all');
  const excluded = new Set(tokens.filter((t) => t.startsWith('-')).map((t) => t.slice(1)));
  const included = new Set(tokens.filter((t) => t !== '*all' && !t.startsWith('-')));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (excluded.has(k)) continue;
    if (all || included.has(k)) out[k] = v;
  }
  return out;
}
