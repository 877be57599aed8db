/**
 * In-process stand-in for Forge's hosted storage service (Key-Value Store, secrets, Custom Entity
 * Store, transactions, batches), speaking the wire protocol of the unmodified `@forge/kvs` SDK
 * (1.6.x): every call is `POST <path>` with a JSON body, answered with JSON or an empty body.
 *
 * Wire summary (see `node_modules/@forge/kvs/out/storage-api.js`):
 *   /api/v1/get, /api/v1/secret/get, /api/v1/entity/get      → 200 {key, value, [entityName], [createdAt, updatedAt, expireTime]}
 *                                                              | 404 {code: KEY_NOT_FOUND} (SDK → undefined)
 *   /api/v1/set, /api/v1/secret/set, /api/v1/entity/set      → 204 | 200 {key, value, ...} when options.returnValue is given
 *   /api/v1/delete, /api/v1/secret/delete, /api/v1/entity/delete → 204 | 404 KEY_NOT_FOUND (SDK swallows it)
 *   /api/v1/query                                            → 200 {data: [...], cursor?}
 *   /api/v1/entity/query                                     → 200 {data: [...], cursor?}
 *   /api/v1/batch/set|get|delete                             → 200 {successfulKeys, failedKeys}
 *   /api/v1/transaction                                      → 200 (empty) | 400 | 409 (a condition failed)
 * Errors are `{code, message}` with a 4xx status; the SDK raises them as ForgeKvsAPIError. Codes: errors.ts.
 */
import type { KvsState, KvsValue } from '../../state/types';
import {
  compareStrings, compareTuples, evaluateCondition, evaluateFilters, parseCondition, parseFilters, RANGE_CONDITIONS,
  type Filters,
} from './conditions';
import { badRequest, invalidBody, invalidValue, keyNotFound, KvsServiceError, KVS_CODES, GUESSED_CODE } from './errors';
import {
  matchesType, parseMetadataFields, ttlToExpireTime, validateEntityName, validateKey, validateValue,
  type AttributeType, type MetadataField,
} from './validation';

export { KvsServiceError } from './errors';

export interface EntityDefinition {
  name: string;
  attributes: Record<string, { type: 'string' | 'boolean' | 'float' | 'integer' | 'any' }>;
  indexes: Array<string | { name: string; range: string[]; partition?: string[] }>;
}

export interface KvsServerOptions {
  /** From manifest.yml `app.storage.entities`. */
  entities: EntityDefinition[];
  /** The site clock, in ms. */
  now: () => number;
}

export interface KvsResponse { status: number; body?: unknown }

/** Page sizes. Key-value query: "limit ... up to a maximum of 20"; entity query: "between 1 and 100". */
export const KVS_QUERY_DEFAULT_LIMIT = 10;
export const KVS_QUERY_MAX_LIMIT = 20;
export const ENTITY_QUERY_DEFAULT_LIMIT = 10;
export const ENTITY_QUERY_MAX_LIMIT = 100;
export const MAX_TRANSACTION_OPERATIONS = 25;
export const MAX_BATCH_ITEMS = 25;

type Body = Record<string, unknown>;
type Handler = (ctx: Ctx, body: unknown) => KvsResponse;

const ROUTES: Record<string, Handler> = {
  '/api/v1/get': (ctx, b) => doGet(ctx, b, 'values'),
  '/api/v1/set': (ctx, b) => doSet(ctx, b, 'values'),
  '/api/v1/delete': (ctx, b) => doDelete(ctx, b, 'values'),
  '/api/v1/query': (ctx, b) => doQuery(ctx, b),
  '/api/v1/secret/get': (ctx, b) => doGet(ctx, b, 'secrets'),
  '/api/v1/secret/set': (ctx, b) => doSet(ctx, b, 'secrets'),
  '/api/v1/secret/delete': (ctx, b) => doDelete(ctx, b, 'secrets'),
  '/api/v1/entity/get': (ctx, b) => doGet(ctx, b, 'entity'),
  '/api/v1/entity/set': (ctx, b) => doSet(ctx, b, 'entity'),
  '/api/v1/entity/delete': (ctx, b) => doDelete(ctx, b, 'entity'),
  '/api/v1/entity/query': (ctx, b) => doEntityQuery(ctx, b),
  '/api/v1/batch/set': (ctx, b) => doBatchSet(ctx, b),
  '/api/v1/batch/get': (ctx, b) => doBatchGet(ctx, b),
  '/api/v1/batch/delete': (ctx, b) => doBatchDelete(ctx, b),
  '/api/v1/transaction': (ctx, b) => doTransaction(ctx, b),
};

export const KVS_PATHS: readonly string[] = Object.keys(ROUTES);

/**
 * Serves one `@forge/kvs` request. `path` is what the SDK passes to `__forge_fetch__` (e.g.
 * '/api/v1/get'); `body` is the parsed JSON request body. Mutates `state` in place; a request that
 * fails leaves `state` untouched (transactions included), apart from purging expired records.
 */
export function handleKvsRequest(state: KvsState, opts: KvsServerOptions, path: string, body: unknown): KvsResponse {
  const route = normalisePath(path);
  const handler = ROUTES[route];
  if (!handler) {
    return {
      status: 404,
      body: { code: GUESSED_CODE.notFound, message: `The local KVS service has no endpoint '${route}'. Known endpoints: ${KVS_PATHS.join(', ')}` },
    };
  }
  try {
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { invalidBody('not valid JSON'); }
    }
    return handler(new Ctx(state, opts), body);
  } catch (e) {
    if (e instanceof KvsServiceError) return { status: e.status, body: e.toBody() };
    return { status: 500, body: { code: KVS_CODES.internal, message: `Local KVS service failed: ${(e as Error)?.message ?? String(e)}` } };
  }
}

function normalisePath(path: string): string {
  let p = path;
  if (/^[a-z]+:\/\//i.test(p)) p = new URL(p).pathname;
  p = p.split(/[?#]/)[0] ?? '';
  p = p.replace(/\/+$/, '');
  return p.startsWith('/') ? p : `/${p}`;
}

// ---------- entity definitions ----------

interface ResolvedIndex { name: string; partition: string[]; range: string[] }
interface ResolvedEntity { name: string; attributes: Map<string, AttributeType>; indexes: ResolvedIndex[] }

const resolvedCache = new WeakMap<EntityDefinition[], Map<string, ResolvedEntity>>();

function resolveEntities(defs: EntityDefinition[]): Map<string, ResolvedEntity> {
  let map = resolvedCache.get(defs);
  if (!map) {
    map = new Map();
    for (const d of defs) {
      map.set(d.name, {
        name: d.name,
        attributes: new Map(Object.entries(d.attributes ?? {}).map(([k, v]) => [k, v.type])),
        indexes: (d.indexes ?? []).map((ix) => typeof ix === 'string'
          ? { name: ix, partition: [], range: [ix] }
          : { name: ix.name, partition: ix.partition ?? [], range: ix.range ?? [] }),
      });
    }
    resolvedCache.set(defs, map);
  }
  return map;
}

// ---------- storage access ----------

type SpaceKind = 'values' | 'secrets' | 'entity';
type Space = { kind: 'values' } | { kind: 'secrets' } | { kind: 'entity'; entity: ResolvedEntity };

class Ctx {
  readonly now: number;
  constructor(readonly state: KvsState, readonly opts: KvsServerOptions) {
    this.now = opts.now();
  }

  entity(name: unknown): ResolvedEntity {
    const n = validateEntityName(name);
    const def = resolveEntities(this.opts.entities).get(n);
    if (!def) {
      const known = this.opts.entities.map((e) => e.name).join(', ') || '(none)';
      badRequest(`Entity '${n}' is not declared in manifest.yml app.storage.entities (declared: ${known})`);
    }
    return def;
  }

  space(kind: SpaceKind, entityName?: unknown): Space {
    return kind === 'entity' ? { kind, entity: this.entity(entityName) } : { kind };
  }

  table(space: Space, create: boolean): Record<string, KvsValue> | undefined {
    if (space.kind === 'values') return (this.state.values ??= {});
    if (space.kind === 'secrets') return (this.state.secrets ??= {});
    const all = (this.state.entities ??= {});
    if (!all[space.entity.name] && create) all[space.entity.name] = {};
    return all[space.entity.name];
  }

  /** The record under `key` unless missing or expired (expired records are purged on sight). */
  read(space: Space, key: string): KvsValue | undefined {
    const tbl = this.table(space, false);
    const rec = tbl && Object.prototype.hasOwnProperty.call(tbl, key) ? tbl[key] : undefined;
    if (!rec) return undefined;
    if (!this.live(rec)) {
      delete tbl![key];
      return undefined;
    }
    return rec;
  }

  live(rec: KvsValue): boolean {
    return rec.expireTime === undefined || rec.expireTime > this.now;
  }

  liveEntries(space: Space): Array<[string, KvsValue]> {
    const tbl = this.table(space, false);
    if (!tbl) return [];
    const out: Array<[string, KvsValue]> = [];
    for (const [k, rec] of Object.entries(tbl)) {
      if (this.live(rec)) out.push([k, rec]);
      else delete tbl[k];
    }
    return out;
  }

  write(space: Space, key: string, value: unknown, expireTime: number | undefined): KvsValue {
    const prev = this.read(space, key);
    const rec: KvsValue = {
      value: JSON.parse(JSON.stringify(value)) as unknown,
      createdAt: prev?.createdAt ?? this.now,
      updatedAt: this.now,
      ...(expireTime !== undefined ? { expireTime } : {}),
    };
    this.table(space, true)![key] = rec;
    return rec;
  }

  remove(space: Space, key: string): boolean {
    const existed = this.read(space, key) !== undefined;
    if (existed) delete this.table(space, false)![key];
    return existed;
  }
}

function obj(body: unknown, what = 'request body'): Body {
  if (!body || typeof body !== 'object' || Array.isArray(body)) invalidBody(`${what} must be a JSON object`);
  return body as Body;
}

function keyOf(space: Space, raw: unknown): string {
  return validateKey(raw, space.kind === 'entity' ? 'entity' : 'kvs');
}

/** Forge timestamps: createdAt/updatedAt as epoch seconds, expireTime as ISO-8601 (as in the SDK's fixtures). */
function toWire(key: string, rec: KvsValue, fields: readonly MetadataField[], space: Space, inQuery = false): Body {
  const out: Body = { key, value: rec.value };
  // Single-key answers name the entity (REST docs); query pages are plain {key, value} rows.
  if (space.kind === 'entity' && !inQuery) out.entityName = space.entity.name;
  if (fields.includes('CREATED_AT')) out.createdAt = Math.floor(rec.createdAt / 1000);
  if (fields.includes('UPDATED_AT')) out.updatedAt = Math.floor(rec.updatedAt / 1000);
  if (fields.includes('EXPIRE_TIME') && rec.expireTime !== undefined) {
    out.expireTime = new Date(rec.expireTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return out;
}

function optionsOf(b: Body): Body {
  if (b.options === undefined || b.options === null) return {};
  return obj(b.options, 'options');
}

function validateEntityValue(entity: ResolvedEntity, value: unknown): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    invalidValue(`Values of entity '${entity.name}' must be objects of its attributes (${[...entity.attributes.keys()].join(', ')})`);
  }
  for (const [attr, v] of Object.entries(value as Body)) {
    const type = entity.attributes.get(attr);
    if (!type) {
      invalidValue(`Attribute '${attr}' is not defined for entity '${entity.name}' (defined: ${[...entity.attributes.keys()].join(', ')})`);
    }
    if (!matchesType(v, type)) {
      const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? `integer ${v}` : typeof v === 'number' ? `float ${v}` : typeof v;
      invalidValue(`Attribute '${attr}' of entity '${entity.name}' must be of type ${type}, got ${got}`);
    }
  }
}

function validateForSpace(space: Space, value: unknown): void {
  validateValue(value);
  if (space.kind === 'entity') validateEntityValue(space.entity, value);
}

// ---------- get / set / delete ----------

function doGet(ctx: Ctx, body: unknown, kind: SpaceKind): KvsResponse {
  const b = obj(body);
  const space = ctx.space(kind, b.entityName);
  const key = keyOf(space, b.key);
  const fields = parseMetadataFields(optionsOf(b).metadataFields);
  const rec = ctx.read(space, key);
  if (!rec) keyNotFound();
  return { status: 200, body: toWire(key, rec, fields, space) };
}

interface SetOptions {
  keyPolicy: 'OVERRIDE' | 'FAIL_IF_EXISTS';
  returnValue?: 'PREVIOUS' | 'LATEST';
  returnMetadataFields: MetadataField[];
  expireTime?: number;
}

function parseSetOptions(ctx: Ctx, raw: Body): SetOptions {
  const { keyPolicy = 'OVERRIDE', returnValue } = raw;
  if (keyPolicy !== 'OVERRIDE' && keyPolicy !== 'FAIL_IF_EXISTS') invalidBody(`options.keyPolicy must be OVERRIDE or FAIL_IF_EXISTS`);
  if (returnValue !== undefined && returnValue !== 'PREVIOUS' && returnValue !== 'LATEST') invalidBody('options.returnValue must be PREVIOUS or LATEST');
  if (returnValue !== undefined && keyPolicy !== 'OVERRIDE') invalidBody('options.returnValue requires keyPolicy OVERRIDE');
  return {
    keyPolicy,
    returnValue,
    returnMetadataFields: parseMetadataFields(raw.returnMetadataFields, 'options.returnMetadataFields'),
    expireTime: ttlToExpireTime(raw.ttl, ctx.now),
  };
}

function doSet(ctx: Ctx, body: unknown, kind: SpaceKind): KvsResponse {
  const b = obj(body);
  const space = ctx.space(kind, b.entityName);
  const key = keyOf(space, b.key);
  if (!('value' in b)) invalidBody('value is required');
  validateForSpace(space, b.value);
  const options = parseSetOptions(ctx, optionsOf(b));
  const prev = ctx.read(space, key);
  if (options.keyPolicy === 'FAIL_IF_EXISTS' && prev) {
    // Cloud answers 409 (judge by status); the body's code is a guess (errors.ts).
    throw new KvsServiceError(409, GUESSED_CODE.keyConflict, `Key '${key}' already exists and keyPolicy is FAIL_IF_EXISTS`);
  }
  const prevCopy = prev && { ...prev };
  const rec = ctx.write(space, key, b.value, options.expireTime);
  if (options.returnValue) {
    const r = options.returnValue === 'PREVIOUS' ? prevCopy : rec;
    if (!r) return { status: 204 };
    return { status: 200, body: toWire(key, r, options.returnMetadataFields, space) };
  }
  return { status: 204 };
}

function doDelete(ctx: Ctx, body: unknown, kind: SpaceKind): KvsResponse {
  const b = obj(body);
  const space = ctx.space(kind, b.entityName);
  const key = keyOf(space, b.key);
  if (!ctx.remove(space, key)) keyNotFound();
  return { status: 204 };
}

// ---------- queries ----------

function parseLimit(raw: unknown, def: number, max: number): number {
  if (raw === undefined || raw === null) return def;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > max) {
    badRequest(`The page limit must be an integer between 1 and ${max} (got ${JSON.stringify(raw)})`);
  }
  return raw;
}

interface CursorPos { t: unknown[] }

function encodeCursor(kind: string, tuple: unknown[]): string {
  return Buffer.from(JSON.stringify({ q: kind, t: tuple }), 'utf8').toString('base64url');
}

function decodeCursor(raw: unknown, kind: string): CursorPos | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') invalidBody('cursor must be a string');
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { q?: unknown; t?: unknown };
    if (parsed.q === kind && Array.isArray(parsed.t)) return { t: parsed.t };
  } catch {
    // fall through
  }
  badRequest('The provided cursor is invalid or belongs to a different query');
}

interface Row { key: string; rec: KvsValue; tuple: unknown[] }

function paginate(rows: Row[], desc: boolean, cursor: CursorPos | undefined, limit: number): { page: Row[]; next?: unknown[] } {
  const dir = desc ? -1 : 1;
  rows.sort((a, b) => dir * compareTuples(a.tuple, b.tuple));
  const after = cursor ? rows.filter((r) => dir * compareTuples(r.tuple, cursor.t) > 0) : rows;
  const page = after.slice(0, limit);
  return after.length > limit ? { page, next: page[page.length - 1].tuple } : { page };
}

function doQuery(ctx: Ctx, body: unknown): KvsResponse {
  const b = obj(body);
  const limit = parseLimit(b.limit, KVS_QUERY_DEFAULT_LIMIT, KVS_QUERY_MAX_LIMIT);
  const fields = parseMetadataFields(optionsOf(b).metadataFields);
  let prefix: string | undefined;
  if (b.where !== undefined && b.where !== null) {
    if (!Array.isArray(b.where)) invalidBody('where must be an array');
    if (b.where.length > 1) badRequest('A key-value query supports a single where condition');
    if (b.where.length === 1) {
      const w = obj(b.where[0], 'where[0]');
      if (w.property !== 'key') badRequest(`Key-value queries can only target the 'key' field (got ${JSON.stringify(w.property)})`);
      const cond = parseCondition(w, ['BEGINS_WITH'], 'where[0]');
      prefix = String(cond.values[0]);
    }
  }
  const space: Space = { kind: 'values' };
  const cursor = decodeCursor(b.after, 'kvs');
  const rows: Row[] = ctx.liveEntries(space)
    .filter(([k]) => prefix === undefined || k.startsWith(prefix))
    .map(([key, rec]) => ({ key, rec, tuple: [key] }));
  rows.sort((x, y) => compareStrings(x.key, y.key));
  const { page, next } = paginate(rows, false, cursor, limit);
  return {
    status: 200,
    body: { data: page.map((r) => toWire(r.key, r.rec, fields, space)), ...(next ? { cursor: encodeCursor('kvs', next) } : {}) },
  };
}

function doEntityQuery(ctx: Ctx, body: unknown): KvsResponse {
  const b = obj(body);
  const entity = ctx.entity(b.entityName);
  const space: Space = { kind: 'entity', entity };
  if (typeof b.indexName !== 'string' || b.indexName === '') invalidBody('indexName must be a non-empty string');
  const index = entity.indexes.find((ix) => ix.name === b.indexName);
  if (!index) {
    badRequest(`Index '${b.indexName}' is not defined for entity '${entity.name}' (defined: ${entity.indexes.map((i) => i.name).join(', ') || '(none)'})`);
  }
  let partition: unknown[] = [];
  if (index.partition.length > 0) {
    if (!Array.isArray(b.partition) || b.partition.length !== index.partition.length) {
      badRequest(`Index '${index.name}' is partitioned by [${index.partition.join(', ')}]: pass partition with ${index.partition.length} value(s)`);
    }
    partition = b.partition;
  } else if (Array.isArray(b.partition) && b.partition.length > 0) {
    badRequest(`Index '${index.name}' has no partition`);
  }
  const range = b.range === undefined || b.range === null ? undefined : parseCondition(b.range, RANGE_CONDITIONS, 'range');
  const filters: Filters | undefined = parseFilters(b.filters, 'filters', new Set(entity.attributes.keys()));
  const sort = b.sort ?? 'ASC';
  if (sort !== 'ASC' && sort !== 'DESC') invalidBody('sort must be ASC or DESC');
  const limit = parseLimit(b.limit, ENTITY_QUERY_DEFAULT_LIMIT, ENTITY_QUERY_MAX_LIMIT);
  const fields = parseMetadataFields(optionsOf(b).metadataFields ?? b.metadataFields);
  const cursor = decodeCursor(b.cursor, `entity:${entity.name}:${index.name}`);

  const rows: Row[] = [];
  for (const [key, rec] of ctx.liveEntries(space)) {
    const v = (rec.value && typeof rec.value === 'object' ? rec.value : {}) as Body;
    // A record is in the index only when it has every partition and range attribute (sparse index).
    if (![...index.partition, ...index.range].every((a) => v[a] !== undefined && v[a] !== null)) continue;
    if (!index.partition.every((a, i) => v[a] === partition[i])) continue;
    if (range && !evaluateCondition(v[index.range[0]], range)) continue;
    if (filters && !evaluateFilters(v, filters)) continue;
    rows.push({ key, rec, tuple: [...index.range.map((a) => v[a]), key] });
  }
  const { page, next } = paginate(rows, sort === 'DESC', cursor, limit);
  return {
    status: 200,
    body: {
      data: page.map((r) => toWire(r.key, r.rec, fields, space, true)),
      ...(next ? { cursor: encodeCursor(`entity:${entity.name}:${index.name}`, next) } : {}),
    },
  };
}

// ---------- batches ----------

function batchItems(body: unknown, what: string): Body[] {
  if (!Array.isArray(body)) invalidBody(`${what} expects a JSON array of items`);
  if (body.length === 0) badRequest(`${what} must contain at least one item`);
  if (body.length > MAX_BATCH_ITEMS) badRequest(`${what} can contain at most ${MAX_BATCH_ITEMS} items (got ${body.length})`);
  const items = body.map((it, i) => obj(it, `item ${i}`));
  const seen = new Set<string>();
  for (const it of items) {
    const id = `${String(it.entityName ?? '')}\u0000${String(it.key)}`;
    if (seen.has(id)) badRequest(`${what} contains the key '${String(it.key)}'${it.entityName ? ` of entity '${String(it.entityName)}'` : ''} more than once`);
    seen.add(id);
  }
  return items;
}

function ident(it: Body): { key: string; entityName?: string } {
  return { key: String(it.key), ...(it.entityName !== undefined ? { entityName: String(it.entityName) } : {}) };
}

function runBatch(body: unknown, what: string, each: (it: Body) => Body | undefined): KvsResponse {
  const successfulKeys: Body[] = [];
  const failedKeys: Body[] = [];
  for (const it of batchItems(body, what)) {
    try {
      successfulKeys.push(each(it) ?? ident(it));
    } catch (e) {
      if (!(e instanceof KvsServiceError)) throw e;
      failedKeys.push({ ...ident(it), error: { code: e.code, message: e.message } });
    }
  }
  return { status: 200, body: { successfulKeys, failedKeys } };
}

function itemSpace(ctx: Ctx, it: Body): Space {
  return it.entityName === undefined ? { kind: 'values' } : ctx.space('entity', it.entityName);
}

function doBatchSet(ctx: Ctx, body: unknown): KvsResponse {
  return runBatch(body, 'batch set', (it) => {
    const space = itemSpace(ctx, it);
    const key = keyOf(space, it.key);
    if (!('value' in it)) invalidBody('value is required');
    validateForSpace(space, it.value);
    const expireTime = ttlToExpireTime(optionsOf(it).ttl, ctx.now);
    ctx.write(space, key, it.value, expireTime);
    return undefined;
  });
}

function doBatchGet(ctx: Ctx, body: unknown): KvsResponse {
  return runBatch(body, 'batch get', (it) => {
    const space = itemSpace(ctx, it);
    const key = keyOf(space, it.key);
    const fields = parseMetadataFields(optionsOf(it).metadataFields);
    const rec = ctx.read(space, key);
    if (!rec) keyNotFound();
    return toWire(key, rec, fields, space);
  });
}

function doBatchDelete(ctx: Ctx, body: unknown): KvsResponse {
  return runBatch(body, 'batch delete', (it) => {
    const space = itemSpace(ctx, it);
    const key = keyOf(space, it.key);
    if (!ctx.remove(space, key)) keyNotFound();
    return undefined;
  });
}

// ---------- transactions ----------

interface TxOp {
  type: 'set' | 'delete' | 'check';
  index: number;
  key: string;
  space: Space;
  entityName?: string;
  value?: unknown;
  expireTime?: number;
  conditions?: Filters;
}

function parseTxOps(ctx: Ctx, raw: unknown, type: TxOp['type']): TxOp[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) invalidBody(`${type} must be an array`);
  return raw.map((item, index): TxOp => {
    const it = obj(item, `${type}[${index}]`);
    const where = `${type}[${index}]`;
    if (type === 'check' && it.entityName === undefined) invalidBody(`${where}: check operations need an entityName`);
    const space = itemSpace(ctx, it);
    const key = keyOf(space, it.key);
    const attrs = space.kind === 'entity' ? new Set(space.entity.attributes.keys()) : undefined;
    const conditions = parseFilters(it.conditions, `${where}.conditions`, attrs);
    if (conditions && space.kind !== 'entity') invalidBody(`${where}: conditions are only supported on custom entities`);
    if (type === 'check' && !conditions) invalidBody(`${where}: check operations need conditions`);
    const op: TxOp = { type, index, key, space, conditions, ...(space.kind === 'entity' ? { entityName: space.entity.name } : {}) };
    if (type === 'set') {
      if (!('value' in it)) invalidBody(`${where}: value is required`);
      validateForSpace(space, it.value);
      op.value = it.value;
      op.expireTime = ttlToExpireTime(optionsOf(it).ttl, ctx.now);
    }
    return op;
  });
}

function doTransaction(ctx: Ctx, body: unknown): KvsResponse {
  const b = obj(body);
  for (const k of Object.keys(b)) if (!['set', 'delete', 'check'].includes(k)) invalidBody(`unknown transaction field '${k}'`);
  const count = ['set', 'delete', 'check'].reduce((n, k) => n + (Array.isArray(b[k]) ? (b[k] as unknown[]).length : 0), 0);
  if (count === 0) badRequest('A transaction must contain at least one set, delete or check operation');
  if (count > MAX_TRANSACTION_OPERATIONS) {
    badRequest(`A transaction can contain at most ${MAX_TRANSACTION_OPERATIONS} operations (got ${count})`);
  }
  const ops = [...parseTxOps(ctx, b.check, 'check'), ...parseTxOps(ctx, b.set, 'set'), ...parseTxOps(ctx, b.delete, 'delete')];
  const seen = new Set<string>();
  for (const op of ops) {
    const id = `${op.entityName ?? ''}\u0000${op.key}`;
    if (seen.has(id)) {
      badRequest(`A transaction cannot include multiple operations on the key '${op.key}'${op.entityName ? ` of entity '${op.entityName}'` : ''}`);
    }
    seen.add(id);
  }
  // Evaluate every condition against the state before the transaction; apply only if all hold.
  const failed = ops.filter((op) => op.conditions && !evaluateFilters(ctx.read(op.space, op.key)?.value, op.conditions));
  if (failed.length > 0) {
    const list = failed.map((op) => `${op.type} '${op.key}'${op.entityName ? ` (${op.entityName})` : ''}`).join(', ');
    throw new KvsServiceError(409, GUESSED_CODE.conditionFailed, `Transaction cancelled: conditions not met for ${list}`, {
      context: { failedOperations: failed.map((op) => ({ operation: op.type, index: op.index, key: op.key, ...(op.entityName ? { entityName: op.entityName } : {}) })) },
    });
  }
  for (const op of ops) {
    if (op.type === 'set') ctx.write(op.space, op.key, op.value, op.expireTime);
    else if (op.type === 'delete') ctx.remove(op.space, op.key);
  }
  return { status: 200 };
}
