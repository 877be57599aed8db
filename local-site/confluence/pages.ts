/**
 * The Confluence rules behind the REST handlers: lookups with Confluence's 404-when-invisible,
 * page create/update/delete with title uniqueness and optimistic versioning, content properties,
 * labels and the content permission check. Pure functions over the site state: they mutate
 * `state.confluence` and return either a value or the HTTP status + message Confluence would send.
 */
import type { ConfluencePage, ConfluenceProperty, ConfluenceSpace, SiteState } from '../state/types';
import type { Actor } from '../http/types';
import { actorAccountId, canEditPage, canViewPage, canViewSpace, canWriteSpace, spaceAccess } from './permissions';

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = <T = never>(status: number, message: string): Outcome<T> => ({ ok: false, status, message });

/** Confluence content property values are limited to 32 KB (of JSON). */
export const MAX_PROPERTY_VALUE_BYTES = 32 * 1024;
export const MAX_PROPERTY_KEY_LENGTH = 255;
export const MAX_TITLE_LENGTH = 255;
export const MAX_LABEL_LENGTH = 255;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNumericId = (id: string): boolean => /^\d+$/.test(id);

function nextId(state: SiteState, counter: keyof SiteState['confluence']['counters']): string {
  state.confluence.counters[counter] += 1;
  return String(state.confluence.counters[counter]);
}

const byNumericId = (a: { id: string }, b: { id: string }): number => Number(a.id) - Number(b.id);

// ---------- lookups ----------

export function findSpace(state: SiteState, actor: Actor, id: string): Outcome<ConfluenceSpace> {
  if (!isNumericId(id)) return fail(400, `Invalid space id: '${id}'`);
  const space = state.confluence.spaces.find((s) => s.id === id);
  if (!space || !canViewSpace(state, actor, space)) return fail(404, 'Space not found');
  return ok(space);
}

/** The page if it exists and the caller can see it (any status); 404 otherwise, as Confluence hides what you cannot view. */
export function findPage(state: SiteState, actor: Actor, id: string): Outcome<ConfluencePage> {
  if (!isNumericId(id)) return fail(400, `Invalid page id: '${id}'`);
  const page = state.confluence.pages.find((p) => p.id === id);
  if (!page || !canViewPage(state, actor, page)) return fail(404, 'Page not found');
  return ok(page);
}

/** A page whose content may be edited (properties, labels): 404 if invisible or trashed, 403 if viewable but not editable. */
export function findEditablePage(state: SiteState, actor: Actor, id: string): Outcome<ConfluencePage> {
  const found = findPage(state, actor, id);
  if (!found.ok) return found;
  if (found.value.status === 'trashed') return fail(404, 'Page not found');
  if (!canEditPage(state, actor, found.value)) return fail(403, 'You do not have permission to edit this page');
  return found;
}

export function visibleSpaces(state: SiteState, actor: Actor): ConfluenceSpace[] {
  return state.confluence.spaces.filter((s) => canViewSpace(state, actor, s)).sort(byNumericId);
}

export interface PageFilter {
  ids?: string[];
  spaceIds?: string[];
  /** Defaults to current + archived (Confluence's default). */
  statuses?: string[];
  title?: string;
  rootOnly?: boolean;
  sort?: string;
}

export const PAGE_SORTS = ['id', '-id', 'created-date', '-created-date', 'modified-date', '-modified-date', 'title', '-title'];

export function listPages(state: SiteState, actor: Actor, filter: PageFilter): ConfluencePage[] {
  const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : ['current', 'archived'];
  const pages = state.confluence.pages.filter(
    (p) =>
      statuses.includes(p.status) &&
      (!filter.ids || filter.ids.includes(p.id)) &&
      (!filter.spaceIds || filter.spaceIds.includes(p.spaceId)) &&
      (filter.title === undefined || p.title === filter.title) &&
      (!filter.rootOnly || p.parentId === null) &&
      canViewPage(state, actor, p),
  );
  const sort = filter.sort ?? 'id';
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const cmp = (a: ConfluencePage, b: ConfluencePage): number => {
    switch (field) {
      case 'title': return a.title.localeCompare(b.title) || byNumericId(a, b);
      case 'created-date': return a.createdAt.localeCompare(b.createdAt) || byNumericId(a, b);
      case 'modified-date': return a.version.createdAt.localeCompare(b.version.createdAt) || byNumericId(a, b);
      default: return byNumericId(a, b);
    }
  };
  return pages.sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)));
}

// ---------- page bodies ----------

/**
 * Reads the write body Confluence accepts: `{representation, value}` or `{atlas_doc_format: {representation, value}}`.
 * The site stores ADF, so only `atlas_doc_format` is accepted.
 */
export function parseAdfBody(body: unknown): Outcome<unknown> {
  if (!isObject(body)) return fail(400, 'body must be an object');
  let write: unknown = body;
  if (!('representation' in body)) {
    const formats = Object.keys(body);
    if (formats.length !== 1) return fail(400, 'Exactly one body representation must be provided');
    write = body[formats[0]];
    if (isObject(write) && write.representation === undefined) write = { ...write, representation: formats[0] };
  }
  if (!isObject(write)) return fail(400, 'body must be an object');
  if (write.representation !== 'atlas_doc_format') {
    return fail(400, `Unsupported body representation '${String(write.representation)}': the local site only accepts atlas_doc_format`);
  }
  if (typeof write.value !== 'string') return fail(400, 'body.value must be a string holding the ADF document as JSON');
  let adf: unknown;
  try {
    adf = JSON.parse(write.value);
  } catch {
    return fail(400, 'body.value is not valid JSON');
  }
  if (!isObject(adf) || adf.type !== 'doc' || !Array.isArray(adf.content)) return fail(400, "body.value must be an ADF document ({type:'doc', content:[...]})");
  return ok(adf);
}

export const emptyDoc = (): unknown => ({ type: 'doc', version: 1, content: [] });

// ---------- pages ----------

function titleTaken(state: SiteState, spaceId: string, title: string, exceptId?: string): boolean {
  const wanted = title.trim().toLowerCase();
  return state.confluence.pages.some(
    (p) => p.spaceId === spaceId && p.status === 'current' && p.id !== exceptId && p.title.trim().toLowerCase() === wanted,
  );
}

const TITLE_TAKEN = 'A page with this title already exists: A page already exists with the same TITLE in this space';

export interface CreatePageInput {
  body: unknown;
  rootLevel: boolean;
}

export function createPage(state: SiteState, actor: Actor, now: Date, input: CreatePageInput): Outcome<ConfluencePage> {
  const req = input.body;
  if (!isObject(req)) return fail(400, 'Request body must be a JSON object');
  if (typeof req.spaceId !== 'string' && typeof req.spaceId !== 'number') return fail(400, 'spaceId is required');
  const spaceId = String(req.spaceId);
  const status = req.status === undefined ? 'current' : req.status;
  if (status !== 'current' && status !== 'draft') return fail(400, `Invalid status '${String(status)}'`);
  if (req.title !== undefined && typeof req.title !== 'string') return fail(400, 'title must be a string');
  const title = typeof req.title === 'string' ? req.title.trim() : '';
  if (status === 'current' && title === '') return fail(400, 'Title is required for a published page');
  if (title.length > MAX_TITLE_LENGTH) return fail(400, `Title cannot be longer than ${MAX_TITLE_LENGTH} characters`);

  const space = state.confluence.spaces.find((s) => s.id === spaceId);
  // Confluence: 404 when the space does not exist, cannot be viewed, or the caller may not create pages in it.
  if (!space || !canViewSpace(state, actor, space)) return fail(404, 'Space not found');
  if (!canWriteSpace(state, actor, space)) return fail(404, 'You do not have permission to create pages in this space');

  let parentId: string | null;
  if (req.parentId !== undefined && req.parentId !== null) {
    if (input.rootLevel) return fail(400, 'parentId cannot be supplied when root-level is true');
    const parent = state.confluence.pages.find((p) => p.id === String(req.parentId));
    if (!parent || parent.spaceId !== space.id || parent.status === 'trashed' || !canViewPage(state, actor, parent)) {
      return fail(400, `Invalid parentId '${String(req.parentId)}'`);
    }
    parentId = parent.id;
  } else {
    parentId = input.rootLevel ? null : space.homepageId || null;
  }

  let adf: unknown = emptyDoc();
  if (req.body !== undefined && req.body !== null) {
    const parsed = parseAdfBody(req.body);
    if (!parsed.ok) return parsed;
    adf = parsed.value;
  }
  if (status === 'current' && titleTaken(state, space.id, title)) return fail(400, TITLE_TAKEN);

  const authorId = actorAccountId(actor);
  const at = now.toISOString();
  const page: ConfluencePage = {
    id: nextId(state, 'pageId'),
    spaceId: space.id,
    parentId,
    title,
    status,
    body: adf,
    authorId,
    createdAt: at,
    version: { number: 1, createdAt: at, authorId, message: '' },
    labels: [],
    properties: [],
    editRestrictedTo: null,
  };
  state.confluence.pages.push(page);
  return ok(page);
}

export function updatePage(state: SiteState, actor: Actor, now: Date, id: string, req: unknown): Outcome<ConfluencePage> {
  const found = findPage(state, actor, id);
  if (!found.ok) return found;
  const page = found.value;
  const space = state.confluence.spaces.find((s) => s.id === page.spaceId);
  if (!space || !canWriteSpace(state, actor, space)) return fail(404, 'You do not have permission to update pages in this space');
  if (!canEditPage(state, actor, page)) return fail(403, 'You do not have permission to edit this page (it is restricted)');

  if (!isObject(req)) return fail(400, 'Request body must be a JSON object');
  if (req.id !== undefined && String(req.id) !== page.id) return fail(400, 'The id in the body does not match the id in the path');
  if (req.status !== 'current' && req.status !== 'draft') return fail(400, "status is required and must be 'current' or 'draft'");
  if (typeof req.title !== 'string' || req.title.trim() === '') return fail(400, 'title is required');
  const title = req.title.trim();
  if (title.length > MAX_TITLE_LENGTH) return fail(400, `Title cannot be longer than ${MAX_TITLE_LENGTH} characters`);
  if (!isObject(req.version) || typeof req.version.number !== 'number' || !Number.isInteger(req.version.number)) {
    return fail(400, 'version.number is required');
  }
  if (req.version.message !== undefined && typeof req.version.message !== 'string') return fail(400, 'version.message must be a string');
  if (req.spaceId !== undefined && String(req.spaceId) !== page.spaceId) return fail(400, 'Moving a page to another space is not supported');
  if (req.status === 'draft' && page.status !== 'draft') return fail(400, 'Reverting a published page to a draft is not supported by the local site');

  const restoring = page.status === 'trashed';
  let adf: unknown = page.body;
  let parentId = page.parentId;
  if (!restoring) {
    if (req.body === undefined || req.body === null) return fail(400, 'body is required');
    const parsed = parseAdfBody(req.body);
    if (!parsed.ok) return parsed;
    adf = parsed.value;
    if (req.parentId !== undefined && req.parentId !== null && String(req.parentId) !== page.parentId) {
      const parent = state.confluence.pages.find((p) => p.id === String(req.parentId));
      if (!parent || parent.id === page.id || parent.spaceId !== page.spaceId || parent.status === 'trashed' || !canViewPage(state, actor, parent)) {
        return fail(404, `Parent page '${String(req.parentId)}' not found`);
      }
      parentId = parent.id;
    }
  }
  if (req.version.number !== page.version.number + 1) {
    return fail(409, `Version must be incremented on update. Current version is: ${page.version.number}`);
  }
  const newTitle = restoring ? page.title : title;
  if (req.status === 'current' && titleTaken(state, page.spaceId, newTitle, page.id)) return fail(400, TITLE_TAKEN);

  const authorId = actorAccountId(actor);
  page.status = req.status;
  page.title = newTitle;
  page.body = adf;
  page.parentId = parentId;
  page.version = { number: req.version.number, createdAt: now.toISOString(), authorId, message: req.version.message ?? '' };
  return ok(page);
}

export interface DeletePageInput {
  purge: boolean;
  draft: boolean;
}

export function deletePage(state: SiteState, actor: Actor, id: string, input: DeletePageInput): Outcome<null> {
  const found = findPage(state, actor, id);
  if (!found.ok) return found;
  const page = found.value;
  const space = state.confluence.spaces.find((s) => s.id === page.spaceId);
  if (!space || !canEditPage(state, actor, page)) return fail(404, 'You do not have permission to delete this page');
  const remove = (): void => {
    state.confluence.pages = state.confluence.pages.filter((p) => p.id !== page.id);
  };
  if (input.purge) {
    if (page.status !== 'trashed') return fail(400, 'Only trashed pages can be purged');
    if (spaceAccess(state, actor, space) !== 'admin') return fail(404, 'You do not have permission to purge pages in this space');
    remove();
    return ok(null);
  }
  if (page.status === 'draft') {
    if (!input.draft) return fail(400, 'To delete a draft, set draft=true');
    remove();
    return ok(null);
  }
  if (input.draft) return fail(400, 'The page is not a draft');
  if (page.status === 'trashed') return fail(404, 'Page not found');
  page.status = 'trashed';
  return ok(null);
}

// ---------- content properties ----------

function validateKey(key: unknown): Outcome<string> {
  if (typeof key !== 'string' || key.trim() === '') return fail(400, 'Content property key cannot be empty');
  if (key.length > MAX_PROPERTY_KEY_LENGTH) return fail(400, `Content property key cannot be longer than ${MAX_PROPERTY_KEY_LENGTH} characters`);
  return ok(key);
}

function validateValue(body: Record<string, unknown>): Outcome<unknown> {
  if (!('value' in body) || body.value === undefined) return fail(400, 'Content property value is required');
  const size = Buffer.byteLength(JSON.stringify(body.value), 'utf8');
  if (size > MAX_PROPERTY_VALUE_BYTES) {
    return fail(400, `Content property value is too large: ${size} bytes (the limit is ${MAX_PROPERTY_VALUE_BYTES} bytes)`);
  }
  return ok(body.value);
}

export function findProperty(state: SiteState, actor: Actor, pageId: string, propertyId: string): Outcome<{ page: ConfluencePage; prop: ConfluenceProperty }> {
  const found = findPage(state, actor, pageId);
  if (!found.ok) return found;
  if (!isNumericId(propertyId)) return fail(400, `Invalid property id: '${propertyId}'`);
  const prop = found.value.properties.find((p) => p.id === propertyId);
  if (!prop) return fail(404, 'Content property not found');
  return ok({ page: found.value, prop });
}

export function createProperty(state: SiteState, actor: Actor, now: Date, pageId: string, req: unknown): Outcome<ConfluenceProperty> {
  const found = findEditablePage(state, actor, pageId);
  if (!found.ok) return found;
  const page = found.value;
  if (!isObject(req)) return fail(400, 'Request body must be a JSON object');
  const key = validateKey(req.key);
  if (!key.ok) return key;
  const value = validateValue(req);
  if (!value.ok) return value;
  // Confluence answers 400 (not 409) when the key already exists on the content.
  if (page.properties.some((p) => p.key === key.value)) return fail(400, `Cannot create content property: a property with key '${key.value}' already exists`);
  const prop: ConfluenceProperty = {
    id: nextId(state, 'propertyId'),
    key: key.value,
    value: value.value,
    version: { number: 1, createdAt: now.toISOString(), authorId: actorAccountId(actor) },
  };
  page.properties.push(prop);
  return ok(prop);
}

export function updateProperty(state: SiteState, actor: Actor, now: Date, pageId: string, propertyId: string, req: unknown): Outcome<ConfluenceProperty> {
  const found = findProperty(state, actor, pageId, propertyId);
  if (!found.ok) return found;
  const { page, prop } = found.value;
  if (page.status === 'trashed') return fail(404, 'Page not found');
  if (!canEditPage(state, actor, page)) return fail(403, 'You do not have permission to edit this page');
  if (!isObject(req)) return fail(400, 'Request body must be a JSON object');
  let key = prop.key;
  if (req.key !== undefined) {
    const k = validateKey(req.key);
    if (!k.ok) return k;
    if (k.value !== prop.key && page.properties.some((p) => p.key === k.value)) return fail(400, `A content property with key '${k.value}' already exists`);
    key = k.value;
  }
  const value = validateValue(req);
  if (!value.ok) return value;
  if (!isObject(req.version) || typeof req.version.number !== 'number' || !Number.isInteger(req.version.number)) {
    return fail(400, 'version.number is required');
  }
  if (req.version.number !== prop.version.number + 1) {
    return fail(409, `Version number must be one more than the current version: expected ${prop.version.number + 1} but got ${req.version.number}`);
  }
  prop.key = key;
  prop.value = value.value;
  prop.version = { number: req.version.number, createdAt: now.toISOString(), authorId: actorAccountId(actor) };
  return ok(prop);
}

export function deleteProperty(state: SiteState, actor: Actor, pageId: string, propertyId: string): Outcome<null> {
  const found = findProperty(state, actor, pageId, propertyId);
  if (!found.ok) return found;
  const { page, prop } = found.value;
  if (page.status === 'trashed') return fail(404, 'Page not found');
  if (!canEditPage(state, actor, page)) return fail(403, 'You do not have permission to edit this page');
  page.properties = page.properties.filter((p) => p.id !== prop.id);
  return ok(null);
}

// ---------- labels ----------

const LABEL_PREFIXES = ['global', 'my', 'team'] as const;
type LabelPrefix = (typeof LABEL_PREFIXES)[number];
/** Characters Confluence does not allow in a label name. */
const INVALID_LABEL_CHARS = /[\s!#&()*,.:;<>?@[\]^]/;

/** Adds labels (v1 semantics): names lowercased, an existing label is a no-op; the whole set is validated first. */
export function addLabels(state: SiteState, actor: Actor, pageId: string, req: unknown): Outcome<ConfluencePage> {
  const found = findEditablePage(state, actor, pageId);
  if (!found.ok) return found;
  const page = found.value;
  const items = Array.isArray(req) ? req : [req];
  if (items.length === 0) return fail(400, 'At least one label is required');
  const wanted: { prefix: LabelPrefix; name: string }[] = [];
  for (const item of items) {
    if (!isObject(item) || typeof item.name !== 'string') return fail(400, 'Each label needs a name');
    const prefix = item.prefix === undefined ? 'global' : item.prefix;
    if (!LABEL_PREFIXES.includes(prefix as LabelPrefix)) return fail(400, `Invalid label prefix '${String(prefix)}'`);
    const name = item.name.trim().toLowerCase();
    if (name === '') return fail(400, 'Label name cannot be empty');
    if (name.length > MAX_LABEL_LENGTH) return fail(400, `Label name cannot be longer than ${MAX_LABEL_LENGTH} characters`);
    if (INVALID_LABEL_CHARS.test(name)) return fail(400, `Label '${item.name}' contains invalid characters (spaces and !#&()*,.:;<>?@[]^ are not allowed)`);
    wanted.push({ prefix: prefix as LabelPrefix, name });
  }
  for (const w of wanted) {
    if (page.labels.some((l) => l.prefix === w.prefix && l.name === w.name)) continue;
    // A label is one site-wide entity: reuse its id when another page already carries it.
    const existing = state.confluence.pages.flatMap((p) => p.labels).find((l) => l.prefix === w.prefix && l.name === w.name);
    page.labels.push({ id: existing?.id ?? nextId(state, 'labelId'), prefix: w.prefix, name: w.name });
  }
  return ok(page);
}

/** Removes a label by name (any prefix). Removing a label the page does not carry is a no-op. */
export function removeLabel(state: SiteState, actor: Actor, pageId: string, name: string): Outcome<null> {
  const found = findEditablePage(state, actor, pageId);
  if (!found.ok) return found;
  const wanted = name.trim().toLowerCase();
  found.value.labels = found.value.labels.filter((l) => l.name !== wanted);
  return ok(null);
}

// ---------- content permission check ----------

export interface PermissionCheck {
  hasPermission: boolean;
  errors: { translation: string; args: string[] }[];
}

/** v1 `POST /content/{id}/permission/check`: site, space and content-restriction checks for a user subject. */
export function checkContentPermission(state: SiteState, actor: Actor, pageId: string, req: unknown): Outcome<PermissionCheck> {
  if (!isObject(req) || !isObject(req.subject)) return fail(400, 'subject is required');
  const { type, identifier } = req.subject;
  if (type !== 'user' && type !== 'group') return fail(400, `Invalid subject type '${String(type)}'`);
  if (typeof identifier !== 'string' || identifier === '') return fail(400, 'subject.identifier is required');
  if (req.operation !== 'read' && req.operation !== 'update' && req.operation !== 'delete') {
    return fail(400, `Invalid operation '${String(req.operation)}': must be one of read, update, delete`);
  }
  const page = state.confluence.pages.find((p) => p.id === pageId);
  if (!page) return fail(404, `No content found with id ${pageId}`);

  // Checking someone other than yourself needs the Confluence Administrator global permission.
  if (actor.kind === 'user' && !(type === 'user' && identifier === actor.accountId)) {
    const caller = state.users.find((u) => u.accountId === actor.accountId);
    if (!caller?.siteAdmin) return fail(403, 'Only Confluence administrators may check permissions of other users or groups');
  }
  if (type === 'group') return fail(400, `Unknown group '${identifier}'`);
  const deny = (translation: string): Outcome<PermissionCheck> => ok({ hasPermission: false, errors: [{ translation, args: [] }] });
  if (identifier === 'anonymous') return deny('Anonymous users are not allowed to use Confluence');
  const user = state.users.find((u) => u.accountId === identifier);
  if (!user) return fail(400, `Invalid subject: no user with accountId '${identifier}'`);

  const subject: Actor = { kind: 'user', accountId: user.accountId };
  const space = state.confluence.spaces.find((s) => s.id === page.spaceId);
  const access = space ? spaceAccess(state, subject, space) : null;
  if (!access) return deny('User does not have permission to the space');
  if (!canViewPage(state, subject, page)) return deny('User does not have permission to the content');
  if (req.operation !== 'read') {
    if (access === 'read') return deny('User does not have permission to the space');
    if (!canEditPage(state, subject, page)) return deny('User does not have permission to the content');
  }
  return ok({ hasPermission: true, errors: [] });
}
