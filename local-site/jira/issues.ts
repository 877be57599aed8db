/**
 * The business logic behind the issue endpoints: finding records, validating field input the way
 * Jira does (same error bodies), creating/editing/transitioning issues and linking them.
 * Handlers in routes.ts stay thin: they check access, call these, and render.
 */
import type { Actor } from '../http/types';
import type { JiraChangeItem, JiraChangelogEntry, JiraComment, JiraIssue, JiraIssueLink, JiraProject, JiraState, SiteUser } from '../state/types';
import { ISSUE_NOT_FOUND, canBrowse, canCreate, canAdminister, isAssignable } from './permissions';
import { APP_ACCOUNT_ID, SYSTEM_FIELDS, actorAccountId } from './render';

/** What the logic needs to know about one request. */
export interface JiraEnv {
  jira: JiraState;
  users: SiteUser[];
  actor: Actor;
  now: Date;
}

export type Failure = { ok: false; status: number; errorMessages: string[]; errors: Record<string, string> };
export type Outcome<T> = { ok: true; value: T } | Failure;

export const fail = (status: number, errorMessages: string[], errors: Record<string, string> = {}): Failure => ({
  ok: false,
  status,
  errorMessages,
  errors,
});

export const MAX_PROPERTY_LENGTH = 32768;
const MAX_SUMMARY = 255;

export type Json = Record<string, unknown>;
export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** An ADF document: `{type:'doc', version:1, content:[...]}`. */
export function isAdfDoc(v: unknown): boolean {
  const o = asObject(v);
  return !!o && o.type === 'doc' && o.version === 1 && Array.isArray(o.content);
}

// ---------- lookups ----------

export function findProject(jira: JiraState, idOrKey: string): JiraProject | undefined {
  return jira.projects.find((p) => p.id === idOrKey || p.key.toUpperCase() === idOrKey.toUpperCase());
}

/**
 * Issues by id and by upper-cased key, per issue list. The site only ever appends issues (POST /issue, the bench's
 * seeding; nothing removes or replaces one), so the index takes in the list's new tail; a list that shrank is
 * indexed again. A lookup the index does not answer falls back to the scan: the index only makes lookups fast
 * (the scale bench has 100,000 issues and makes tens of thousands of per-issue calls), never changes what is found.
 */
const issueIndex = new WeakMap<JiraIssue[], { indexed: number; byRef: Map<string, JiraIssue> }>();

export function findIssue(jira: JiraState, idOrKey: string): JiraIssue | undefined {
  const upper = idOrKey.toUpperCase();
  const matches = (i: JiraIssue) => i.id === idOrKey || i.key.toUpperCase() === upper;
  let index = issueIndex.get(jira.issues);
  if (!index || index.indexed > jira.issues.length) issueIndex.set(jira.issues, (index = { indexed: 0, byRef: new Map() }));
  for (; index.indexed < jira.issues.length; index.indexed += 1) {
    const issue = jira.issues[index.indexed];
    if (!issue) continue;
    if (!index.byRef.has(issue.id)) index.byRef.set(issue.id, issue);
    if (!index.byRef.has(issue.key.toUpperCase())) index.byRef.set(issue.key.toUpperCase(), issue);
  }
  const hit = index.byRef.get(idOrKey) ?? index.byRef.get(upper);
  return hit && matches(hit) ? hit : jira.issues.find(matches);
}

export function projectOf(jira: JiraState, issue: JiraIssue): JiraProject {
  const p = jira.projects.find((x) => x.id === issue.projectId);
  if (!p) throw new Error(`Issue ${issue.key} belongs to unknown project ${issue.projectId}`);
  return p;
}

/** Whether the env's actor may browse the issue. */
export function visibleTo(env: Pick<JiraEnv, 'jira' | 'users' | 'actor'>): (i: JiraIssue) => boolean {
  return (i) => canBrowse(env, env.actor, projectOf(env.jira, i));
}

/** The issue when the actor may see it; Jira's 404 otherwise. */
export function browsableIssue(env: JiraEnv, idOrKey: string): Outcome<JiraIssue> {
  const issue = findIssue(env.jira, idOrKey);
  if (!issue || !visibleTo(env)(issue)) return fail(404, [ISSUE_NOT_FOUND]);
  return { ok: true, value: issue };
}

/** `{id}` / `{name}` / `{key}` references in request bodies. */
export function ref(v: unknown): { id?: string; name?: string; key?: string } | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const s = (x: unknown) => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined);
  return { id: s(o.id), name: s(o.name), key: s(o.key) };
}

function fieldName(jira: JiraState, id: string): string {
  return jira.customFields.find((f) => f.id === id)?.name ?? SYSTEM_FIELDS.find((f) => f.id === id)?.name ?? id;
}

const cannotSet = (id: string) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

// ---------- field input ----------

/** The changes a request's `fields`/`update` amount to. */
export interface IssuePatch {
  summary?: string;
  description?: unknown;
  assigneeId?: string | null;
  reporterId?: string;
  priorityId?: string | null;
  issueTypeId?: string;
  labels?: string[];
  duedate?: string | null;
  resolutionId?: string | null;
  customFields: Record<string, unknown>;
  /** From `update.issuelinks` add operations: the other issue and which side it is on. */
  links: { typeId: string; otherId: string; otherSide: 'inward' | 'outward' }[];
  /** From `update.comment` add operations. */
  comments: unknown[];
}

interface ParseContext {
  env: JiraEnv;
  project: JiraProject;
  /** Fields a transition may also set (resolution). */
  allowResolution?: boolean;
  /** Current labels (edit), for add/remove operations. */
  currentLabels: string[];
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function parseCustom(ctx: ParseContext, id: string, value: unknown, errors: Record<string, string>, patch: IssuePatch): void {
  const def = ctx.env.jira.customFields.find((f) => f.id === id);
  if (!def) {
    errors[id] = cannotSet(id);
    return;
  }
  if (value === null) {
    patch.customFields[id] = null;
    return;
  }
  const bad = (what: string) => (errors[id] = `Operation value must be ${what}`);
  switch (def.schemaType) {
    case 'string':
      if (typeof value !== 'string') return void bad('a string');
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return void bad('a number');
      break;
    case 'option':
      if (!ref(value)?.id && !ref(value)?.name && !(asObject(value) && typeof asObject(value)?.value === 'string')) return void bad('an object with a value or id');
      break;
    case 'user': {
      const accountId = asObject(value)?.accountId;
      if (typeof accountId !== 'string' || !ctx.env.users.some((u) => u.accountId === accountId)) {
        errors[id] = `Specified user does not exist or you do not have required permissions`;
        return;
      }
      break;
    }
    case 'date':
      if (typeof value !== 'string' || !validDate(value)) return void (errors[id] = `Error parsing date string: ${String(value)}`);
      break;
    case 'array':
      if (!Array.isArray(value)) return void bad('an array');
      break;
  }
  patch.customFields[id] = value;
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function parseLabels(value: unknown, errors: Record<string, string>): string[] | undefined {
  if (value === null) return [];
  if (!Array.isArray(value) || value.some((l) => typeof l !== 'string')) {
    errors.labels = 'Operation value must be an array of strings';
    return undefined;
  }
  for (const l of value as string[]) {
    if (/\s/.test(l)) {
      errors.labels = `The label '${l}' contains spaces which is invalid.`;
      return undefined;
    }
    if (l.length > 255) {
      errors.labels = `The label '${l}' exceeds the maximum length for a label of 255 characters.`;
      return undefined;
    }
  }
  return [...new Set(value as string[])];
}

/** One entry of `fields`. */
function parseField(ctx: ParseContext, id: string, value: unknown, errors: Record<string, string>, patch: IssuePatch): void {
  const { env, project } = ctx;
  const jira = env.jira;
  switch (id) {
    case 'summary':
      if (typeof value !== 'string' || value.trim() === '') errors.summary = 'You must specify a summary of the issue.';
      else if (value.length > MAX_SUMMARY) errors.summary = 'Summary must be less than 255 characters.';
      else patch.summary = value;
      return;
    case 'description':
      if (value !== null && !isAdfDoc(value)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      else patch.description = value;
      return;
    case 'assignee': {
      if (value === null) return void (patch.assigneeId = null);
      const accountId = asObject(value)?.accountId;
      if (accountId === null || accountId === '-1') return void (patch.assigneeId = null);
      if (typeof accountId !== 'string') return void (errors.assignee = 'Operation value must be an object with an accountId');
      if (!isAssignable(env, accountId, project)) return void (errors.assignee = `User '${accountId}' cannot be assigned issues.`);
      patch.assigneeId = accountId;
      return;
    }
    case 'reporter': {
      const accountId = asObject(value)?.accountId;
      if (!canAdminister(env, env.actor, project)) return void (errors.reporter = cannotSet('reporter'));
      if (typeof accountId !== 'string' || !(accountId === APP_ACCOUNT_ID || env.users.some((u) => u.accountId === accountId))) {
        return void (errors.reporter = `Specified user does not exist or you do not have required permissions`);
      }
      patch.reporterId = accountId;
      return;
    }
    case 'priority': {
      if (value === null) return void (patch.priorityId = null);
      const r = ref(value);
      const p = r && jira.priorities.find((x) => (r.id !== undefined ? x.id === r.id : x.name === r.name));
      if (!p) return void (errors.priority = "Specify a valid 'id' or 'name' for Priority");
      patch.priorityId = p.id;
      return;
    }
    case 'issuetype': {
      const r = ref(value);
      const t = r && jira.issueTypes.find((x) => (r.id !== undefined ? x.id === r.id : x.name === r.name));
      if (!t || !project.issueTypeIds.includes(t.id)) return void (errors.issuetype = 'Specify a valid issue type');
      patch.issueTypeId = t.id;
      return;
    }
    case 'labels': {
      const labels = parseLabels(value, errors);
      if (labels) patch.labels = labels;
      return;
    }
    case 'duedate':
      if (value === null) return void (patch.duedate = null);
      if (typeof value !== 'string' || !validDate(value)) return void (errors.duedate = `Error parsing date string: ${String(value)}`);
      patch.duedate = value;
      return;
    case 'resolution': {
      if (!ctx.allowResolution) return void (errors.resolution = cannotSet('resolution'));
      const r = ref(value);
      const res = r && jira.resolutions.find((x) => (r.id !== undefined ? x.id === r.id : x.name === r.name));
      if (!res) return void (errors.resolution = `Could not find a resolution matching: ${JSON.stringify(value)}`);
      patch.resolutionId = res.id;
      return;
    }
    default:
      if (id.startsWith('customfield_')) return parseCustom(ctx, id, value, errors, patch);
      errors[id] = cannotSet(id);
  }
}

/** One `update` entry: a list of `{set|add|remove|edit: value}` operations. */
function parseUpdate(ctx: ParseContext, id: string, ops: unknown, errors: Record<string, string>, patch: IssuePatch): void {
  if (!Array.isArray(ops)) {
    errors[id] = `Field '${id}': update operations must be an array`;
    return;
  }
  for (const raw of ops) {
    const op = asObject(raw);
    const [verb, value] = op ? Object.entries(op)[0] ?? [] : [];
    if (verb === 'set') {
      parseField(ctx, id, value, errors, patch);
    } else if (id === 'labels' && (verb === 'add' || verb === 'remove')) {
      if (typeof value !== 'string' || /\s/.test(value)) {
        errors.labels = `The label '${String(value)}' contains spaces which is invalid.`;
        continue;
      }
      const current = patch.labels ?? [...ctx.currentLabels];
      patch.labels = verb === 'add' ? [...new Set([...current, value])] : current.filter((l) => l !== value);
    } else if (id === 'issuelinks' && verb === 'add') {
      const link = parseLinkAdd(ctx.env, value);
      if (!link.ok) errors.issuelinks = link.errorMessages[0];
      else patch.links.push(link.value);
    } else if (id === 'comment' && verb === 'add') {
      const body = asObject(value)?.body;
      if (!isAdfDoc(body)) errors.comment = 'Comment body must be an Atlassian Document (type "doc", version 1).';
      else patch.comments.push(body);
    } else {
      errors[id] = `Field '${id}' does not support the '${String(verb)}' operation.`;
    }
  }
}

function parseLinkAdd(env: JiraEnv, value: unknown): Outcome<IssuePatch['links'][number]> {
  const o = asObject(value) ?? {};
  const t = ref(o.type);
  const type = t && env.jira.issueLinkTypes.find((x) => (t.id !== undefined ? x.id === t.id : x.name === t.name));
  if (!type) return fail(400, [`No issue link type with name '${t?.name ?? t?.id ?? ''}' found.`]);
  const side = o.outwardIssue !== undefined ? 'outward' : o.inwardIssue !== undefined ? 'inward' : undefined;
  const r = ref(side === 'outward' ? o.outwardIssue : o.inwardIssue);
  const other = r && findIssue(env.jira, r.key ?? r.id ?? '');
  if (!side || !other || !visibleTo(env)(other)) return fail(400, [`Issue '${r?.key ?? r?.id ?? ''}' does not exist or you do not have permission to see it.`]);
  return { ok: true, value: { typeId: type.id, otherId: other.id, otherSide: side } };
}

/** Validates `fields` and `update` of a create/edit/transition body into a patch. */
export function parseIssueInput(
  env: JiraEnv,
  project: JiraProject,
  body: Json,
  opts: { skip?: string[]; allowResolution?: boolean; currentLabels?: string[] } = {},
): { patch: IssuePatch; errors: Record<string, string> } {
  const ctx: ParseContext = { env, project, allowResolution: opts.allowResolution, currentLabels: opts.currentLabels ?? [] };
  const patch: IssuePatch = { customFields: {}, links: [], comments: [] };
  const errors: Record<string, string> = {};
  const skip = new Set(opts.skip ?? []);
  const fields = asObject(body.fields) ?? {};
  for (const [id, value] of Object.entries(fields)) {
    if (!skip.has(id)) parseField(ctx, id, value, errors, patch);
  }
  const update = asObject(body.update) ?? {};
  for (const [id, ops] of Object.entries(update)) {
    if (id in fields) {
      errors[id] = `Field '${id}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    parseUpdate(ctx, id, ops, errors, patch);
  }
  return { patch, errors };
}

function requiredFieldIds(project: JiraProject, issueTypeId: string): string[] {
  return [...(project.requiredFields['*'] ?? []), ...(project.requiredFields[issueTypeId] ?? [])];
}

/** Current value of a field an issue (or a patch over it) would have, for required checks. */
function valueAfter(issue: Partial<JiraIssue> | undefined, patch: IssuePatch, id: string): unknown {
  if (id.startsWith('customfield_')) return id in patch.customFields ? patch.customFields[id] : issue?.customFields?.[id];
  const fromPatch: Record<string, unknown> = {
    description: patch.description,
    assignee: patch.assigneeId,
    priority: patch.priorityId,
    labels: patch.labels,
    duedate: patch.duedate,
  };
  if (fromPatch[id] !== undefined) return fromPatch[id];
  const fromIssue: Record<string, unknown> = {
    description: issue?.description,
    assignee: issue?.assigneeId,
    priority: issue?.priorityId,
    labels: issue?.labels,
    duedate: issue?.duedate,
  };
  return fromIssue[id];
}

function checkProperties(raw: unknown, errors: Record<string, string>): { key: string; value: unknown }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.properties = 'Properties must be an array of {key, value}.';
    return [];
  }
  const out: { key: string; value: unknown }[] = [];
  for (const p of raw) {
    const o = asObject(p);
    const problem = o ? propertyProblem(o.key, o.value) : 'Property must be an object with a key and a value.';
    if (problem) errors.properties = problem;
    else if (o) out.push({ key: o.key as string, value: o.value });
  }
  return out;
}

/** Why an issue property cannot be stored (or undefined when it can). */
export function propertyProblem(key: unknown, value: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'The property key cannot be empty.';
  if (key.length > 255) return 'The property key cannot be longer than 255 characters.';
  if (value === undefined) return 'The property value is required.';
  if (JSON.stringify(value).length > MAX_PROPERTY_LENGTH) {
    return `The value cannot be longer than ${MAX_PROPERTY_LENGTH} characters.`;
  }
  return undefined;
}

// ---------- create ----------

/** Creates one issue from a POST /issue body (also one element of a bulk create). */
export function createIssue(env: JiraEnv, rawBody: unknown): Outcome<JiraIssue> {
  const { jira } = env;
  const body = asObject(rawBody);
  if (!body) return fail(400, ['Request body must be a JSON object.']);
  const fields = asObject(body.fields);
  if (!fields) return fail(400, [], { project: 'Specify a valid project ID or key', issuetype: 'Specify an issue type', summary: 'You must specify a summary of the issue.' });

  const pref = ref(fields.project);
  const project = pref && findProject(jira, pref.id ?? pref.key ?? '');
  // A project the caller cannot browse answers exactly like one that does not exist.
  if (!project || !canBrowse(env, env.actor, project)) return fail(400, [], { project: 'Specify a valid project ID or key' });
  if (!canCreate(env, env.actor, project)) return fail(403, ['You do not have permission to create issues in this project.']);

  const { patch, errors } = parseIssueInput(env, project, body, { skip: ['project', 'issuetype'] });
  const tref = ref(fields.issuetype);
  const issueType = tref && jira.issueTypes.find((t) => (tref.id !== undefined ? t.id === tref.id : t.name === tref.name));
  if (!tref || (tref.id === undefined && tref.name === undefined)) errors.issuetype = 'Specify an issue type';
  else if (!issueType || !project.issueTypeIds.includes(issueType.id)) errors.issuetype = 'Specify a valid issue type';
  if (patch.summary === undefined && !errors.summary) errors.summary = 'You must specify a summary of the issue.';
  if (issueType) {
    for (const id of requiredFieldIds(project, issueType.id)) {
      if (isEmpty(valueAfter(undefined, patch, id)) && !errors[id]) errors[id] = `${fieldName(jira, id)} is required.`;
    }
  }
  const properties = checkProperties(body.properties, errors);
  if (Object.keys(errors).length > 0 || !issueType) return fail(400, [], errors);

  const now = env.now.toISOString();
  const initial = jira.statuses.find((s) => s.statusCategory === 'new') ?? jira.statuses[0];
  jira.counters.issueId += 1;
  jira.counters.perProject[project.key] = (jira.counters.perProject[project.key] ?? 0) + 1;
  const issue: JiraIssue = {
    id: String(jira.counters.issueId),
    key: `${project.key}-${jira.counters.perProject[project.key]}`,
    projectId: project.id,
    issueTypeId: issueType.id,
    statusId: initial.id,
    priorityId: patch.priorityId !== undefined ? patch.priorityId : (jira.priorities.find((p) => p.isDefault)?.id ?? null),
    assigneeId: patch.assigneeId ?? null,
    reporterId: patch.reporterId ?? actorAccountId(env.actor),
    summary: patch.summary as string,
    description: patch.description ?? null,
    labels: patch.labels ?? [],
    duedate: patch.duedate ?? null,
    created: now,
    updated: now,
    resolutionId: null,
    resolutiondate: null,
    customFields: Object.fromEntries(Object.entries(patch.customFields).filter(([, v]) => v !== null)),
    properties: Object.fromEntries(properties.map((p) => [p.key, p.value])),
    comments: [],
    remoteLinks: [],
  };
  jira.issues.push(issue);
  applyLinks(jira, issue, patch);
  return { ok: true, value: issue };
}

// ---------- edit / transition ----------

/** The history items a patch will write: Jira keeps the assignee and priority changes (with ids and names). */
function patchChanges(env: JiraEnv, issue: JiraIssue, patch: IssuePatch): JiraChangeItem[] {
  const items: JiraChangeItem[] = [];
  const userName = (id: string | null) => (id === null ? null : (env.users.find((u) => u.accountId === id)?.displayName ?? (id === APP_ACCOUNT_ID ? 'Postmortem Follow-Through' : id)));
  const priorityName = (id: string | null) => (id === null ? null : (env.jira.priorities.find((p) => p.id === id)?.name ?? id));
  if (patch.assigneeId !== undefined && patch.assigneeId !== issue.assigneeId) items.push(assigneeChange(issue.assigneeId, patch.assigneeId, userName));
  if (patch.priorityId !== undefined && patch.priorityId !== issue.priorityId) {
    items.push({ field: 'priority', fieldId: 'priority', from: issue.priorityId, fromString: priorityName(issue.priorityId), to: patch.priorityId, toString: priorityName(patch.priorityId) });
  }
  return items;
}

function assigneeChange(from: string | null, to: string | null, name: (id: string | null) => string | null): JiraChangeItem {
  return { field: 'assignee', fieldId: 'assignee', from, fromString: name(from), to, toString: name(to) };
}

/** The assignee change as PUT /issue/{key}/assignee makes it (same history item as an edit). */
export function assignIssue(env: JiraEnv, issue: JiraIssue, accountId: string | null): void {
  if (accountId === issue.assigneeId) return;
  const userName = (id: string | null) => (id === null ? null : (env.users.find((u) => u.accountId === id)?.displayName ?? id));
  recordChange(env, issue, [assigneeChange(issue.assigneeId, accountId, userName)]);
  issue.assigneeId = accountId;
  issue.updated = env.now.toISOString();
}

/** One changelog entry for everything one request changed (Jira groups a transition's fields the same way). */
export function recordChange(env: JiraEnv, issue: JiraIssue, items: JiraChangeItem[]): JiraChangelogEntry | undefined {
  if (!items.length) return undefined;
  env.jira.counters.changelogId = (env.jira.counters.changelogId ?? 10000) + 1;
  const entry: JiraChangelogEntry = { id: String(env.jira.counters.changelogId), authorId: actorAccountId(env.actor), created: env.now.toISOString(), items };
  (issue.changelog ??= []).push(entry);
  return entry;
}

function applyPatch(env: JiraEnv, issue: JiraIssue, patch: IssuePatch): JiraChangeItem[] {
  const changes = patchChanges(env, issue, patch);
  if (patch.summary !== undefined) issue.summary = patch.summary;
  if (patch.description !== undefined) issue.description = patch.description;
  if (patch.assigneeId !== undefined) issue.assigneeId = patch.assigneeId;
  if (patch.reporterId !== undefined) issue.reporterId = patch.reporterId;
  if (patch.priorityId !== undefined) issue.priorityId = patch.priorityId;
  if (patch.issueTypeId !== undefined) issue.issueTypeId = patch.issueTypeId;
  if (patch.labels !== undefined) issue.labels = patch.labels;
  if (patch.duedate !== undefined) issue.duedate = patch.duedate;
  for (const [id, v] of Object.entries(patch.customFields)) {
    if (v === null) delete issue.customFields[id];
    else issue.customFields[id] = v;
  }
  for (const body of patch.comments) addComment(env, issue, body);
  applyLinks(env.jira, issue, patch);
  issue.updated = env.now.toISOString();
  return changes;
}

function applyLinks(jira: JiraState, issue: JiraIssue, patch: IssuePatch): void {
  for (const l of patch.links) {
    // `outwardIssue: X` in an update means "this issue → X": this issue is the link's inward issue.
    if (l.otherSide === 'outward') linkIssues(jira, l.typeId, issue.id, l.otherId);
    else linkIssues(jira, l.typeId, l.otherId, issue.id);
  }
}

/** Edits an issue from a PUT /issue body. Access (browse/edit) is checked by the caller. */
export function editIssue(env: JiraEnv, issue: JiraIssue, rawBody: unknown): Outcome<JiraIssue> {
  const body = asObject(rawBody);
  if (!body) return fail(400, ['Request body must be a JSON object.']);
  const project = projectOf(env.jira, issue);
  const { patch, errors } = parseIssueInput(env, project, body, { currentLabels: issue.labels });
  const typeId = patch.issueTypeId ?? issue.issueTypeId;
  for (const id of requiredFieldIds(project, typeId)) {
    if (isEmpty(valueAfter(issue, patch, id)) && !errors[id]) errors[id] = `${fieldName(env.jira, id)} is required.`;
  }
  const properties = checkProperties(body.properties, errors);
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  recordChange(env, issue, applyPatch(env, issue, patch));
  for (const p of properties) issue.properties[p.key] = p.value;
  return { ok: true, value: issue };
}

/** Every status but the current one is a transition target; the transition id is the status id. */
export function transitionTargets(jira: JiraState, issue: JiraIssue) {
  return jira.statuses.filter((s) => s.id !== issue.statusId);
}

/** POST /issue/{key}/transitions. Moving into a done status sets a resolution (default by name, else Done). */
export function transitionIssue(env: JiraEnv, issue: JiraIssue, rawBody: unknown, allowed: boolean): Outcome<JiraIssue> {
  const body = asObject(rawBody);
  const tid = ref(body?.transition)?.id;
  if (!body || tid === undefined) return fail(400, ["Missing 'transition' identifier"]);
  const target = allowed ? transitionTargets(env.jira, issue).find((s) => s.id === tid) : undefined;
  if (!target) return fail(400, [`Transition id '${tid}' is not valid for this issue.`]);
  const project = projectOf(env.jira, issue);
  const { patch, errors } = parseIssueInput(env, project, body, { allowResolution: target.statusCategory === 'done', currentLabels: issue.labels });
  if (Object.keys(errors).length > 0) return fail(400, [], errors);
  const changes = applyPatch(env, issue, patch);
  const statusName = (id: string) => env.jira.statuses.find((st) => st.id === id)?.name ?? id;
  const resolutionName = (id: string | null) => (id === null ? null : (env.jira.resolutions.find((r) => r.id === id)?.name ?? id));
  changes.push({ field: 'status', fieldId: 'status', from: issue.statusId, fromString: statusName(issue.statusId), to: target.id, toString: target.name });
  const resolutionBefore = issue.resolutionId;
  issue.statusId = target.id;
  if (target.statusCategory === 'done') {
    const byName = env.jira.resolutions.find((r) => r.name === target.name);
    const fallback = env.jira.resolutions.find((r) => r.name === 'Done') ?? env.jira.resolutions[0];
    issue.resolutionId = patch.resolutionId ?? byName?.id ?? fallback?.id ?? null;
    issue.resolutiondate = env.now.toISOString();
  } else {
    issue.resolutionId = null;
    issue.resolutiondate = null;
  }
  if (issue.resolutionId !== resolutionBefore) {
    changes.push({ field: 'resolution', fieldId: 'resolution', from: resolutionBefore, fromString: resolutionName(resolutionBefore), to: issue.resolutionId, toString: resolutionName(issue.resolutionId) });
  }
  recordChange(env, issue, changes);
  return { ok: true, value: issue };
}

// ---------- comments and links ----------

export function addComment(env: JiraEnv, issue: JiraIssue, body: unknown): JiraComment {
  env.jira.counters.commentId += 1;
  const now = env.now.toISOString();
  const comment: JiraComment = { id: String(env.jira.counters.commentId), authorId: actorAccountId(env.actor), body, created: now, updated: now };
  issue.comments.push(comment);
  issue.updated = now;
  return comment;
}

/** Links two issues; an identical link (same type, same sides) is returned instead of duplicated. */
export function linkIssues(jira: JiraState, typeId: string, inwardIssueId: string, outwardIssueId: string): JiraIssueLink {
  const existing = jira.issueLinks.find((l) => l.typeId === typeId && l.inwardIssueId === inwardIssueId && l.outwardIssueId === outwardIssueId);
  if (existing) return existing;
  jira.counters.issueLinkId += 1;
  const link: JiraIssueLink = { id: String(jira.counters.issueLinkId), typeId, inwardIssueId, outwardIssueId };
  jira.issueLinks.push(link);
  return link;
}
