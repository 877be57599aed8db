/**
 * The local Confluence Cloud REST API: v2 spaces/pages/properties/labels and the v1 endpoints the
 * app needs (labels, current user, content permission check), served at the products' full paths
 * (`/wiki/api/v2/...`, `/wiki/rest/api/...`). Handlers parse the request, call `pages.ts`, render.
 */
import { confluenceError, type Route, type RouteContext, type SiteResponse } from '../http/types';
import {
  addLabels,
  checkContentPermission,
  createPage,
  createProperty,
  deletePage,
  deleteProperty,
  findPage,
  findProperty,
  findSpace,
  isNumericId,
  listPages,
  PAGE_SORTS,
  removeLabel,
  updatePage,
  updateProperty,
  visibleSpaces,
  type Outcome,
  type PageFilter,
} from './pages';
import { BadRequest, cursorPage, multiEntity } from './paging';
import { APP_ACCOUNT_ID, canEditPage } from './permissions';
import {
  renderLabel,
  renderLabelArrayV1,
  renderPage,
  renderProperty,
  renderSpace,
  renderUserV1,
  renderVersion,
  v1Error,
  V2_BULK_BODY_FORMATS,
  V2_SINGLE_BODY_FORMATS,
} from './render';
import type { ConfluencePage } from '../state/types';

const V2 = '/wiki/api/v2';
const V1 = '/wiki/rest/api';

// ---------- query helpers ----------

/** A multi-valued query parameter: repeated and/or comma-separated. */
function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const values = q.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return values.length > 0 ? values : undefined;
}

function idListParam(q: URLSearchParams, name: string): string[] | undefined {
  const ids = listParam(q, name);
  const bad = ids?.find((id) => !isNumericId(id));
  if (bad !== undefined) throw new BadRequest(`Invalid value for ${name}: '${bad}'`);
  return ids;
}

function boolParam(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new BadRequest(`Invalid value for ${name}: '${raw}' (expected true or false)`);
}

function enumParam(q: URLSearchParams, name: string, allowed: readonly string[]): string | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!allowed.includes(raw)) throw new BadRequest(`Invalid value for ${name}: '${raw}'`);
  return raw;
}

function enumListParam(q: URLSearchParams, name: string, allowed: readonly string[]): string[] | undefined {
  const values = listParam(q, name);
  const bad = values?.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw new BadRequest(`Invalid value for ${name}: '${bad}'`);
  return values;
}

function intParam(q: URLSearchParams, name: string, fallback: number, min = 0): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new BadRequest(`Invalid value for ${name}: '${raw}'`);
  return Number(raw);
}

// ---------- response helpers ----------

const v2 = <T>(outcome: Outcome<T>, render: (value: T) => SiteResponse): SiteResponse =>
  outcome.ok ? render(outcome.value) : confluenceError(outcome.status, outcome.message);

const v1 = <T>(outcome: Outcome<T>, render: (value: T) => SiteResponse): SiteResponse =>
  outcome.ok ? render(outcome.value) : v1Error(outcome.status, outcome.message);

/** Wraps a handler so that malformed query parameters answer 400 in the API's error shape. */
function guarded(handler: (ctx: RouteContext) => SiteResponse, errorShape: 'v1' | 'v2' = 'v2'): (ctx: RouteContext) => SiteResponse {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (err) {
      if (err instanceof BadRequest) return errorShape === 'v1' ? v1Error(400, err.message) : confluenceError(400, err.message);
      throw err;
    }
  };
}

const PAGE_LIST_STATUSES = ['current', 'archived', 'deleted', 'trashed'];
const PAGE_GET_STATUSES = ['current', 'archived', 'trashed', 'deleted', 'historical', 'draft'];

function pageList(ctx: RouteContext, path: string, filter: PageFilter): SiteResponse {
  const q = ctx.req.query;
  const bodyFormat = enumParam(q, 'body-format', V2_BULK_BODY_FORMATS);
  const pages = listPages(ctx.state, ctx.req.actor, {
    ...filter,
    statuses: enumListParam(q, 'status', PAGE_LIST_STATUSES),
    title: q.get('title') ?? undefined,
    sort: enumParam(q, 'sort', PAGE_SORTS),
  });
  return multiEntity(cursorPage(pages, q, path), (p) => renderPage(ctx.state, p, { bodyFormat }));
}

/** The `include-*` blocks of `GET /pages/{id}` (limited to 50 like Confluence, with `meta` and `_links`). */
function includes(ctx: RouteContext, page: ConfluencePage): Record<string, unknown> {
  const q = ctx.req.query;
  const out: Record<string, unknown> = {};
  const block = <T>(items: T[], self: string, render: (t: T) => unknown): Record<string, unknown> => ({
    results: items.slice(0, 50).map(render),
    meta: { hasMore: items.length > 50 },
    _links: { self },
  });
  if (boolParam(q, 'include-labels', false)) out.labels = block(page.labels, `${V2}/pages/${page.id}/labels`, renderLabel);
  if (boolParam(q, 'include-properties', false)) out.properties = block(page.properties, `${V2}/pages/${page.id}/properties`, renderProperty);
  if (boolParam(q, 'include-operations', false)) {
    const ops = [{ operation: 'read', targetType: 'page' }];
    if (canEditPage(ctx.state, ctx.req.actor, page)) ops.push({ operation: 'update', targetType: 'page' }, { operation: 'delete', targetType: 'page' });
    out.operations = block(ops, `${V2}/pages/${page.id}/operations`, (o) => o);
  }
  if (boolParam(q, 'include-likes', false)) out.likes = block([], `${V2}/pages/${page.id}/likes/users`, (l) => l);
  if (boolParam(q, 'include-versions', false)) out.versions = block([page.version], `${V2}/pages/${page.id}/versions`, renderVersion);
  if (boolParam(q, 'include-favorited-by-current-user-status', false)) out.isFavoritedByCurrentUser = false;
  return out;
}

function getPage(ctx: RouteContext): SiteResponse {
  const q = ctx.req.query;
  const found = findPage(ctx.state, ctx.req.actor, ctx.params.id);
  if (!found.ok) return confluenceError(found.status, found.message);
  const page = found.value;
  const bodyFormat = enumParam(q, 'body-format', V2_SINGLE_BODY_FORMATS);
  const getDraft = boolParam(q, 'get-draft', false);
  const statuses = enumListParam(q, 'status', PAGE_GET_STATUSES) ?? ['current', 'archived', ...(getDraft ? ['draft'] : [])];
  // A published page has no separate draft here: get-draft returns the page itself.
  if (!statuses.includes(page.status) && !(getDraft && page.status === 'current')) return confluenceError(404, 'Page not found');
  const version = q.get('version');
  if (version !== null && version !== '' && version !== String(page.version.number)) {
    return confluenceError(404, `Version ${version} of the page was not found (the local site keeps only the current version)`);
  }
  const includeVersion = boolParam(q, 'include-version', true);
  return { status: 200, body: { ...renderPage(ctx.state, page, { bodyFormat, includeVersion }), ...includes(ctx, page) } };
}

// ---------- routes ----------

export function confluenceRoutes(): Route[] {
  return [
    // ----- v2 spaces -----
    {
      method: 'GET',
      template: `${V2}/spaces`,
      handler: guarded((ctx) => {
        const q = ctx.req.query;
        const ids = idListParam(q, 'ids');
        const keys = listParam(q, 'keys');
        const type = enumParam(q, 'type', ['global', 'collaboration', 'knowledge_base', 'personal']);
        const status = enumParam(q, 'status', ['current', 'archived']);
        const sort = enumParam(q, 'sort', ['id', '-id', 'key', '-key', 'name', '-name']) ?? 'id';
        const spaces = visibleSpaces(ctx.state, ctx.req.actor).filter(
          (s) => (!ids || ids.includes(s.id)) && (!keys || keys.includes(s.key)) && (!type || type === 'global') && (!status || status === 'current'),
        );
        const field = sort.replace(/^-/, '') as 'id' | 'key' | 'name';
        spaces.sort((a, b) => (field === 'id' ? Number(a.id) - Number(b.id) : a[field].localeCompare(b[field])) * (sort.startsWith('-') ? -1 : 1));
        return multiEntity(cursorPage(spaces, q, `${V2}/spaces`), (s) => renderSpace(ctx.state, s));
      }),
    },
    {
      method: 'GET',
      template: `${V2}/spaces/{id}`,
      handler: guarded((ctx) => v2(findSpace(ctx.state, ctx.req.actor, ctx.params.id), (s) => ({ status: 200, body: renderSpace(ctx.state, s) }))),
    },
    {
      // Who holds which space permission (v2 SpacePermissionAssignment). The site's model is per user:
      // read for every level, create (page) for write, administer (space) for admin.
      method: 'GET',
      template: `${V2}/spaces/{id}/permissions`,
      handler: guarded((ctx) => {
        const space = findSpace(ctx.state, ctx.req.actor, ctx.params.id);
        if (!space.ok) return confluenceError(space.status, space.message);
        const assignments = Object.entries(space.value.access).flatMap(([accountId, level]) => [
          { op: 'read', target: 'space' },
          ...(level !== 'read' ? [{ op: 'create', target: 'page' }] : []),
          ...(level === 'admin' ? [{ op: 'administer', target: 'space' }] : []),
        ].map(({ op, target }) => ({ id: `${space.value.id}-${accountId}-${op}-${target}`, principal: { type: 'user', id: accountId }, operation: { key: op, targetType: target } })));
        return multiEntity(cursorPage(assignments, ctx.req.query, `${V2}/spaces/${space.value.id}/permissions`), (a) => a);
      }),
    },
    {
      method: 'GET',
      template: `${V2}/spaces/{id}/pages`,
      handler: guarded((ctx) => {
        const space = findSpace(ctx.state, ctx.req.actor, ctx.params.id);
        if (!space.ok) return confluenceError(space.status, space.message);
        const depth = enumParam(ctx.req.query, 'depth', ['all', 'root']) ?? 'all';
        return pageList(ctx, `${V2}/spaces/${space.value.id}/pages`, { spaceIds: [space.value.id], rootOnly: depth === 'root' });
      }),
    },

    // ----- v2 pages -----
    {
      method: 'GET',
      template: `${V2}/pages`,
      handler: guarded((ctx) => pageList(ctx, `${V2}/pages`, { ids: idListParam(ctx.req.query, 'id'), spaceIds: idListParam(ctx.req.query, 'space-id') })),
    },
    {
      method: 'POST',
      template: `${V2}/pages`,
      handler: guarded((ctx) => {
        // `private`, `embedded`: accepted and ignored.
        const rootLevel = boolParam(ctx.req.query, 'root-level', false);
        return v2(createPage(ctx.state, ctx.req.actor, ctx.now(), { body: ctx.req.body, rootLevel }), (page) => ({
          status: 200,
          body: renderPage(ctx.state, page, { bodyFormat: 'atlas_doc_format' }),
        }));
      }),
    },
    { method: 'GET', template: `${V2}/pages/{id}`, handler: guarded(getPage) },
    {
      method: 'PUT',
      template: `${V2}/pages/{id}`,
      handler: guarded((ctx) =>
        v2(updatePage(ctx.state, ctx.req.actor, ctx.now(), ctx.params.id, ctx.req.body), (page) => ({
          status: 200,
          body: renderPage(ctx.state, page, { bodyFormat: 'atlas_doc_format' }),
        })),
      ),
    },
    {
      method: 'DELETE',
      template: `${V2}/pages/{id}`,
      handler: guarded((ctx) => {
        const purge = boolParam(ctx.req.query, 'purge', false);
        const draft = boolParam(ctx.req.query, 'draft', false);
        return v2(deletePage(ctx.state, ctx.req.actor, ctx.params.id, { purge, draft }), () => ({ status: 204 }));
      }),
    },
    {
      method: 'GET',
      template: `${V2}/pages/{id}/labels`,
      handler: guarded((ctx) => {
        const found = findPage(ctx.state, ctx.req.actor, ctx.params.id);
        if (!found.ok) return confluenceError(found.status, found.message);
        const prefix = enumParam(ctx.req.query, 'prefix', ['my', 'team', 'global', 'system']);
        const sort = enumParam(ctx.req.query, 'sort', ['id', '-id', 'name', '-name', 'created-date', '-created-date']);
        const labels = found.value.labels.filter((l) => !prefix || l.prefix === prefix);
        if (sort?.endsWith('name')) labels.sort((a, b) => a.name.localeCompare(b.name) * (sort.startsWith('-') ? -1 : 1));
        else if (sort) labels.sort((a, b) => (Number(a.id) - Number(b.id)) * (sort.startsWith('-') ? -1 : 1));
        return multiEntity(cursorPage(labels, ctx.req.query, `${V2}/pages/${found.value.id}/labels`), renderLabel);
      }),
    },

    // ----- v2 page properties -----
    {
      method: 'GET',
      template: `${V2}/pages/{page-id}/properties`,
      handler: guarded((ctx) => {
        const found = findPage(ctx.state, ctx.req.actor, ctx.params['page-id']);
        if (!found.ok) return confluenceError(found.status, found.message);
        const key = ctx.req.query.get('key');
        const sort = enumParam(ctx.req.query, 'sort', ['key', '-key']);
        const props = found.value.properties.filter((p) => key === null || p.key === key);
        if (sort) props.sort((a, b) => a.key.localeCompare(b.key) * (sort === '-key' ? -1 : 1));
        return multiEntity(cursorPage(props, ctx.req.query, `${V2}/pages/${found.value.id}/properties`), renderProperty);
      }),
    },
    {
      method: 'POST',
      template: `${V2}/pages/{page-id}/properties`,
      handler: guarded((ctx) =>
        v2(createProperty(ctx.state, ctx.req.actor, ctx.now(), ctx.params['page-id'], ctx.req.body), (prop) => ({ status: 200, body: renderProperty(prop) })),
      ),
    },
    {
      method: 'GET',
      template: `${V2}/pages/{page-id}/properties/{property-id}`,
      handler: guarded((ctx) =>
        v2(findProperty(ctx.state, ctx.req.actor, ctx.params['page-id'], ctx.params['property-id']), ({ prop }) => ({ status: 200, body: renderProperty(prop) })),
      ),
    },
    {
      method: 'PUT',
      template: `${V2}/pages/{page-id}/properties/{property-id}`,
      handler: guarded((ctx) =>
        v2(updateProperty(ctx.state, ctx.req.actor, ctx.now(), ctx.params['page-id'], ctx.params['property-id'], ctx.req.body), (prop) => ({
          status: 200,
          body: renderProperty(prop),
        })),
      ),
    },
    {
      method: 'DELETE',
      template: `${V2}/pages/{page-id}/properties/{property-id}`,
      handler: guarded((ctx) => v2(deleteProperty(ctx.state, ctx.req.actor, ctx.params['page-id'], ctx.params['property-id']), () => ({ status: 204 }))),
    },

    // ----- v1 labels -----
    {
      method: 'GET',
      template: `${V1}/content/{id}/label`,
      handler: guarded((ctx) => {
        const found = findPage(ctx.state, ctx.req.actor, ctx.params.id);
        if (!found.ok || found.value.status === 'trashed') return v1Error(found.ok ? 404 : found.status, found.ok ? 'Page not found' : found.message);
        const prefix = enumParam(ctx.req.query, 'prefix', ['global', 'my', 'team']);
        const start = intParam(ctx.req.query, 'start', 0);
        const limit = intParam(ctx.req.query, 'limit', 200);
        const labels = found.value.labels.filter((l) => !prefix || l.prefix === prefix);
        return { status: 200, body: renderLabelArrayV1(found.value.id, labels, start, limit) };
      }, 'v1'),
    },
    {
      method: 'POST',
      template: `${V1}/content/{id}/label`,
      handler: guarded(
        (ctx) => v1(addLabels(ctx.state, ctx.req.actor, ctx.params.id, ctx.req.body), (page) => ({ status: 200, body: renderLabelArrayV1(page.id, page.labels, 0, 200) })),
        'v1',
      ),
    },
    {
      method: 'DELETE',
      template: `${V1}/content/{id}/label`,
      handler: guarded((ctx) => {
        const name = ctx.req.query.get('name');
        if (name === null || name === '') return v1Error(400, "Query parameter 'name' is required");
        return v1(removeLabel(ctx.state, ctx.req.actor, ctx.params.id, name), () => ({ status: 204 }));
      }, 'v1'),
    },
    {
      method: 'DELETE',
      template: `${V1}/content/{id}/label/{label}`,
      handler: guarded((ctx) => v1(removeLabel(ctx.state, ctx.req.actor, ctx.params.id, ctx.params.label), () => ({ status: 204 })), 'v1'),
    },

    // ----- v1 user + permission check -----
    {
      method: 'GET',
      template: `${V1}/user/current`,
      handler: (ctx) => {
        const actor = ctx.req.actor;
        if (actor.kind === 'app') {
          return {
            status: 200,
            body: {
              type: 'known',
              accountId: APP_ACCOUNT_ID,
              accountType: 'app',
              email: '',
              publicName: 'Postmortem Follow-Through',
              displayName: 'Postmortem Follow-Through',
              timeZone: null,
              isExternalCollaborator: false,
              externalCollaborator: false,
              _links: { context: '/wiki' },
            },
          };
        }
        const user = ctx.state.users.find((u) => u.accountId === actor.accountId);
        if (!user) return v1Error(401, 'Unknown user');
        return { status: 200, body: renderUserV1(user) };
      },
    },
    {
      method: 'POST',
      template: `${V1}/content/{id}/permission/check`,
      handler: guarded(
        (ctx) =>
          v1(checkContentPermission(ctx.state, ctx.req.actor, ctx.params.id, ctx.req.body), (result) => ({
            status: 200,
            body: { hasPermission: result.hasPermission, errors: result.errors },
          })),
        'v1',
      ),
    },
  ];
}
