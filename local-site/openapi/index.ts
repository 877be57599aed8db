/**
 * Contract checks against Atlassian's published OpenAPI documents.
 *
 * Every REST request the app sends and every response the local site returns can be checked against
 * the real Jira Cloud platform v3 and Confluence v1/v2 specs: path (template + path parameter types),
 * query (required parameters, integer/boolean/enum types), request body and response body (Ajv).
 *
 * Specs are read from `ATLASSIAN_OPENAPI_DIR`, else `<repo>/../shared/atlassian-openapi` (relative to this
 * folder: `../../../shared/atlassian-openapi`). Each spec file is parsed once per process, on first use.
 * Ajv validators are compiled lazily per schema location and cached.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { deref, resolvePointer, transformDocument, type Direction } from './transform';

export type Product = 'jira' | 'confluence';
export type SpecName = 'jira-v3' | 'confluence-v1' | 'confluence-v2';

export interface ValidationIssue {
  where: 'path' | 'query' | 'body' | 'response';
  message: string;
}

export interface OperationRef {
  product: Product;
  spec: SpecName;
  method: string;
  /** Full REST path template, e.g. `/wiki/api/v2/pages/{page-id}/properties/{property-id}`. */
  template: string;
  operationId?: string;
  /** The key under `paths` in the spec (differs from `template` for Confluence v2, whose keys are relative to `/wiki/api/v2`). */
  specPath: string;
  /** Path parameters extracted from the concrete path (percent-decoded). */
  params: Record<string, string>;
}

export const DEFAULT_SPEC_DIR = path.resolve(__dirname, '../../../shared/atlassian-openapi');

const SPEC_FILES: Record<SpecName, string> = {
  'jira-v3': 'jira-platform-v3.json',
  'confluence-v1': 'confluence-v1.json',
  'confluence-v2': 'confluence-v2.json',
};

/** Which specs serve a product, most specific base path first. */
const PRODUCT_SPECS: Record<Product, SpecName[]> = {
  jira: ['jira-v3'],
  confluence: ['confluence-v2', 'confluence-v1'],
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ContractViolation extends Error {
  constructor(
    public readonly issues: ValidationIssue[],
    context?: string,
  ) {
    super(`${context ? `${context}: ` : ''}${issues.map((i) => `[${i.where}] ${i.message}`).join('; ')}`);
    this.name = 'ContractViolation';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Spec loading and path matching

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'mixed'; regex: RegExp; names: string[] };

interface Route {
  specPath: string;
  template: string;
  segments: Segment[];
  item: JsonObject;
}

interface MatchedOperation {
  spec: LoadedSpec;
  route: Route;
  method: string;
  /** The operation object, or undefined when the path exists but not for this method. */
  op?: JsonObject;
  params: Record<string, string>;
}

/** Raw spec documents, parsed once per process and shared by every contract instance. */
const rawDocCache = new Map<string, JsonObject>();

function readSpec(file: string): JsonObject {
  let doc = rawDocCache.get(file);
  if (!doc) {
    if (!fs.existsSync(file)) throw new Error(`OpenAPI spec not found: ${file} (set ATLASSIAN_OPENAPI_DIR to the folder holding the Atlassian specs)`);
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
    rawDocCache.set(file, doc);
  }
  return doc;
}

function parseSegment(seg: string): Segment {
  if (!seg.includes('{')) return { kind: 'literal', value: seg };
  const whole = /^\{([^}]+)\}$/.exec(seg);
  if (whole) return { kind: 'param', name: whole[1] };
  const names: string[] = [];
  const source = seg
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m) {
        names.push(m[1]);
        return '([^/]+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { kind: 'mixed', regex: new RegExp(`^${source}$`), names };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Path part of a server URL: `https://{your-domain}/wiki/api/v2` → `/wiki/api/v2`, `//host` → ``. */
function serverBasePath(doc: JsonObject): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const url = isObject(servers[0]) && typeof servers[0].url === 'string' ? servers[0].url : '';
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:/i, '').replace(/^\/\/[^/]*/, '');
  return withoutOrigin.replace(/\/+$/, '');
}

class LoadedSpec {
  private docCache?: JsonObject;
  private routesCache?: Route[];
  private basePathCache?: string;
  private ajvCache?: Ajv;
  private readonly variants = new Map<Direction, { id: string; doc: JsonObject }>();
  private readonly validators = new Map<string, ValidateFunction | Error>();
  private readonly checkedRefs = new Map<string, string | null>();

  constructor(
    readonly name: SpecName,
    readonly file: string,
  ) {}

  get doc(): JsonObject {
    return (this.docCache ??= readSpec(this.file));
  }

  get basePath(): string {
    return (this.basePathCache ??= serverBasePath(this.doc));
  }

  get routes(): Route[] {
    if (!this.routesCache) {
      const paths = isObject(this.doc.paths) ? this.doc.paths : {};
      this.routesCache = Object.entries(paths)
        .filter((e): e is [string, JsonObject] => isObject(e[1]))
        .map(([specPath, item]) => {
          const template = `${this.basePath}${specPath}`;
          return { specPath, template, item, segments: template.split('/').slice(1).map(parseSegment) };
        });
    }
    return this.routesCache;
  }

  /** Best-matching path template (JAX-RS style: most literal segments first, then the method is checked). */
  match(method: string, pathname: string): MatchedOperation | undefined {
    if (this.basePath && pathname !== this.basePath && !pathname.startsWith(`${this.basePath}/`)) return undefined;
    const parts = pathname.split('/').slice(1);
    let best: { route: Route; score: number[]; params: Record<string, string> } | undefined;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const score: number[] = [];
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i];
        const part = parts[i];
        if (seg.kind === 'literal') {
          ok = seg.value === part || seg.value === safeDecode(part);
          score.push(2);
        } else if (seg.kind === 'param') {
          ok = part.length > 0;
          params[seg.name] = safeDecode(part);
          score.push(0);
        } else {
          const m = seg.regex.exec(part);
          ok = !!m;
          if (m) seg.names.forEach((n, j) => (params[n] = safeDecode(m[j + 1])));
          score.push(1);
        }
      }
      if (!ok) continue;
      if (!best || compareScores(score, best.score) > 0) best = { route, score, params };
    }
    if (!best) return undefined;
    const m = method.toLowerCase();
    const op = best.route.item[m];
    return { spec: this, route: best.route, method: m, op: isObject(op) ? op : undefined, params: best.params };
  }

  // -------------------------------------------------------------------------------------------------------
  // Ajv

  private get ajv(): Ajv {
    if (!this.ajvCache) {
      const warnings: string[] = [];
      const ajv = new Ajv({
        strict: false,
        allErrors: true,
        validateFormats: true,
        // Only a body's own properties count: Jira's ChangeDetails has a property named `toString`, which every
        // object inherits, so without this an item that leaves it out would be judged by Object.prototype's.
        ownProperties: true,
        logger: { log: () => undefined, warn: (...args: unknown[]) => warnings.push(args.join(' ')), error: (...args: unknown[]) => warnings.push(args.join(' ')) },
      });
      addFormats(ajv);
      this.ajvCache = ajv;
    }
    return this.ajvCache;
  }

  /** The document rewritten for one direction, registered with Ajv under its own id. */
  variant(direction: Direction): { id: string; doc: JsonObject } {
    let v = this.variants.get(direction);
    if (!v) {
      const id = `https://openapi.local/${this.name}/${direction}.json`;
      const { doc, formats } = transformDocument(this.doc, id, direction);
      const ajv = this.ajv;
      for (const f of formats) if (!ajv.formats[f]) ajv.addFormat(f, true); // e.g. Jira's `url`, Confluence's `string`
      ajv.addSchema(doc, id, undefined, false);
      v = { id, doc };
      this.variants.set(direction, v);
    }
    return v;
  }

  /**
   * Compiles (once) the schema found at `pointer` (a `#/...` pointer into the spec) for one direction.
   * Returns an Error when the spec's schema cannot be compiled or is not a valid JSON Schema.
   */
  validatorAt(direction: Direction, pointer: string): ValidateFunction | Error {
    const key = `${direction} ${pointer}`;
    let v = this.validators.get(key);
    if (!v) {
      const variant = this.variant(direction);
      const schema = resolvePointer(variant.doc, pointer);
      try {
        if (schema === undefined) throw new Error(`no schema at ${pointer}`);
        const problems = this.schemaProblems(variant, schema);
        if (problems.length) throw new Error(problems.join('; '));
        v = this.ajv.compile(schema as JsonObject);
      } catch (err) {
        v = new Error(`spec schema at ${this.name} ${pointer} is broken: ${(err as Error).message}`);
      }
      this.validators.set(key, v);
    }
    return v;
  }

  /** Checks `schema` and every component schema it reaches against the JSON Schema meta-schema. */
  private schemaProblems(variant: { id: string; doc: JsonObject }, schema: unknown): string[] {
    const problems: string[] = [];
    const check = (label: string, s: unknown) => {
      if (!this.ajv.validateSchema(s as JsonObject)) problems.push(`${label}: ${this.ajv.errorsText(this.ajv.errors)}`);
    };
    check('schema', schema);
    const pending = collectRefs(schema);
    while (pending.length) {
      const ref = pending.pop() as string;
      if (this.checkedRefs.has(ref)) {
        const known = this.checkedRefs.get(ref);
        if (known) problems.push(known);
        continue;
      }
      const hash = ref.indexOf('#');
      const target = hash >= 0 && ref.slice(0, hash) === variant.id ? resolvePointer(variant.doc, ref.slice(hash)) : undefined;
      let problem: string | null = null;
      if (target === undefined) problem = `unresolvable $ref ${ref.slice(hash)}`;
      else if (!this.ajv.validateSchema(target as JsonObject)) problem = `${ref.slice(hash)}: ${this.ajv.errorsText(this.ajv.errors)}`;
      this.checkedRefs.set(ref, problem);
      if (problem) problems.push(problem);
      else pending.push(...collectRefs(target));
    }
    return problems;
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else if (k !== 'example' && k !== 'examples' && k !== 'enum' && k !== 'default') collectRefs(v, out);
    }
  }
  return out;
}

function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  const messages: string[] = [];
  for (const e of errors ?? []) {
    let detail = '';
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') detail = ` ('${String(p.additionalProperty)}')`;
    else if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
      const allowed = p.allowedValues.map((x) => JSON.stringify(x));
      detail = `: ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', …' : ''}`;
    }
    const msg = `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${detail}`;
    if (!messages.includes(msg)) messages.push(msg);
  }
  return messages.slice(0, 20);
}

// ---------------------------------------------------------------------------------------------------------
// Parameters

interface ParamInfo {
  name: string;
  in: string;
  required: boolean;
  /** Untransformed schema (for type-driven coercion). */
  schema?: unknown;
  /** Pointer to the schema, for compiling. */
  schemaPointer?: string;
}

function operationPointer(m: MatchedOperation): string {
  return `#/paths/${escapePointer(m.route.specPath)}/${m.method}`;
}

function collectParams(m: MatchedOperation): ParamInfo[] {
  const doc = m.spec.doc;
  const byKey = new Map<string, ParamInfo>();
  const itemPtr = `#/paths/${escapePointer(m.route.specPath)}`;
  const lists: Array<[unknown, string]> = [
    [m.route.item.parameters, `${itemPtr}/parameters`],
    [m.op?.parameters, `${operationPointer(m)}/parameters`],
  ];
  for (const [list, listPtr] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      let ptr = `${listPtr}/${i}`;
      let p: unknown = raw;
      if (isObject(raw) && typeof raw.$ref === 'string') {
        ptr = raw.$ref;
        p = deref(doc, raw);
      }
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') return;
      byKey.set(`${p.in}:${p.name}`, {
        name: p.name,
        in: p.in,
        required: p.required === true || p.in === 'path',
        schema: p.schema,
        schemaPointer: p.schema !== undefined ? `${ptr}/schema` : undefined,
      });
    });
  }
  return [...byKey.values()];
}

const NUMERIC = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function schemaType(doc: unknown, schema: unknown): string | undefined {
  const s = deref(doc, schema);
  if (!isObject(s)) return undefined;
  if (typeof s.type === 'string') return s.type;
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const sub of list) {
      const t = schemaType(doc, sub);
      if (t) return t;
    }
  }
  return undefined;
}

/** Turns the raw string(s) of a parameter into the JSON value its schema describes. */
function coerce(doc: unknown, schema: unknown, values: string[]): unknown {
  const type = schemaType(doc, schema);
  if (type === 'array') {
    const s = deref(doc, schema);
    const items = isObject(s) ? s.items : undefined;
    return values.flatMap((v) => v.split(',')).map((v) => coerceOne(schemaType(doc, items), v));
  }
  return coerceOne(type, values[0]);
}

function coerceOne(type: string | undefined, v: string): unknown {
  if ((type === 'integer' || type === 'number') && NUMERIC.test(v.trim())) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// Media types

function pickJsonContent(content: unknown): { mediaType: string; media: JsonObject } | undefined {
  if (!isObject(content)) return undefined;
  const keys = Object.keys(content);
  const mediaType =
    keys.find((k) => k.toLowerCase() === 'application/json') ??
    keys.find((k) => /^application\/([\w.+-]*\+)?json\b/i.test(k)) ??
    keys.find((k) => k === '*/*');
  const media = mediaType ? content[mediaType] : undefined;
  return mediaType && isObject(media) ? { mediaType, media } : undefined;
}

const isEmptyBody = (body: unknown) => body === undefined || body === '';
const isEmptySchema = (schema: unknown) => isObject(schema) && Object.keys(schema).every((k) => k === 'description' || k === 'example');

function splitPathAndQuery(pathWithQuery: string): { pathname: string; query: URLSearchParams } {
  const url = new URL(pathWithQuery, 'http://contract.local');
  return { pathname: url.pathname, query: url.searchParams };
}

// ---------------------------------------------------------------------------------------------------------
// Public API

const contractCache = new Map<string, OpenApiContract>();

/**
 * Operations whose published response schema describes one element while the product really answers with a
 * list of them. Each element is validated against the documented schema.
 * - Jira `GET /issue/{key}/remotelink` without `globalId` returns an array of RemoteIssueLink.
 */
const LIST_ERRATA = new Set(['jira-v3 GET /rest/api/3/issue/{issueIdOrKey}/remotelink 200']);

export class OpenApiContract {
  private readonly specs: Record<SpecName, LoadedSpec>;

  private constructor(readonly dir: string) {
    this.specs = {
      'jira-v3': new LoadedSpec('jira-v3', path.join(dir, SPEC_FILES['jira-v3'])),
      'confluence-v1': new LoadedSpec('confluence-v1', path.join(dir, SPEC_FILES['confluence-v1'])),
      'confluence-v2': new LoadedSpec('confluence-v2', path.join(dir, SPEC_FILES['confluence-v2'])),
    };
  }

  /**
   * The contract for the specs in `dir` (default: `ATLASSIAN_OPENAPI_DIR`, else `DEFAULT_SPEC_DIR`).
   * One instance per folder per process; spec files are parsed on first use.
   */
  static load(dir?: string): OpenApiContract {
    const resolved = path.resolve(dir ?? process.env.ATLASSIAN_OPENAPI_DIR ?? DEFAULT_SPEC_DIR);
    let contract = contractCache.get(resolved);
    if (!contract) {
      if (!fs.existsSync(resolved)) throw new Error(`Atlassian OpenAPI spec folder not found: ${resolved} (set ATLASSIAN_OPENAPI_DIR)`);
      contract = new OpenApiContract(resolved);
      contractCache.set(resolved, contract);
    }
    return contract;
  }

  findOperation(product: Product, method: string, pathWithQuery: string): OperationRef | undefined {
    const m = this.match(product, method, splitPathAndQuery(pathWithQuery).pathname);
    return m?.op ? toRef(product, m) : undefined;
  }

  validateRequest(product: Product, method: string, pathWithQuery: string, body: unknown): { operation?: OperationRef; issues: ValidationIssue[] } {
    const { pathname, query } = splitPathAndQuery(pathWithQuery);
    const m = this.match(product, method, pathname);
    if (!m?.op) return { issues: [this.noSuchOperation(product, method, pathname, m)] };
    const issues: ValidationIssue[] = [];
    const doc = m.spec.doc;

    for (const p of collectParams(m)) {
      if (p.in === 'path') {
        const raw = m.params[p.name];
        if (raw === undefined) {
          issues.push({ where: 'path', message: `path template ${m.route.template} has no segment for path parameter '${p.name}' (spec quirk)` });
          continue;
        }
        this.checkParam(m, p, coerce(doc, p.schema, [raw]), 'path', issues);
      } else if (p.in === 'query') {
        const values = query.getAll(p.name);
        if (values.length === 0) {
          if (p.required) issues.push({ where: 'query', message: `missing required query parameter '${p.name}'` });
          continue;
        }
        this.checkParam(m, p, coerce(doc, p.schema, values), 'query', issues);
      }
      // header and cookie parameters are not visible here.
    }

    issues.push(...this.checkRequestBody(m, body));
    return { operation: toRef(product, m), issues };
  }

  validateResponse(product: Product, method: string, pathWithQuery: string, status: number, body: unknown): ValidationIssue[] {
    const { pathname } = splitPathAndQuery(pathWithQuery);
    const m = this.match(product, method, pathname);
    if (!m?.op) return [{ ...this.noSuchOperation(product, method, pathname, m), where: 'response' }];
    const label = `${m.method.toUpperCase()} ${m.route.template}`;
    const responses = isObject(m.op.responses) ? m.op.responses : {};
    const range = `${Math.floor(status / 100)}XX`;
    // OpenAPI precedence: exact code, then a range key (`2XX`), then `default`.
    const key =
      String(status) in responses ? String(status) : Object.keys(responses).find((k) => k.toUpperCase() === range) ?? ('default' in responses ? 'default' : undefined);
    // Atlassian's documents leave out many error statuses the products really send (Confluence v2 declares
    // no 409 for a stale page-property version, no 403 for an edit restriction). An undeclared error status
    // is accepted; an undeclared success status is not.
    if (key === undefined && status >= 400) return [];
    if (key === undefined) {
      return [{ where: 'response', message: `status ${status} is not declared for ${label} (declared: ${Object.keys(responses).join(', ') || 'none'})` }];
    }
    let respPtr = `${operationPointer(m)}/responses/${escapePointer(key)}`;
    let resp: unknown = responses[key];
    if (isObject(resp) && typeof resp.$ref === 'string') {
      respPtr = resp.$ref;
      resp = deref(m.spec.doc, resp);
    }
    const content = isObject(resp) ? resp.content : undefined;
    if (!isObject(content) || Object.keys(content).length === 0) {
      // Atlassian leaves most error bodies undocumented; only a success status promises "no body".
      if (!isEmptyBody(body) && status < 400) return [{ where: 'response', message: `${label} declares no body for status ${key}, but one was returned` }];
      return [];
    }
    const picked = pickJsonContent(content);
    if (!picked) return []; // binary / non-JSON media types are not validated here
    const schema = picked.media.schema;
    if (schema === undefined) return [];
    if (isEmptyBody(body)) {
      if (status === 204 || isEmptySchema(schema)) return [];
      return [{ where: 'response', message: `${label} status ${status}: expected a JSON body (${picked.mediaType}), got an empty body` }];
    }
    const ptr = `${respPtr}/content/${escapePointer(picked.mediaType)}/schema`;
    if (Array.isArray(body) && LIST_ERRATA.has(`${m.spec.name} ${m.method.toUpperCase()} ${m.route.template} ${status}`)) {
      return body.flatMap((item, i) =>
        this.runSchema(m.spec, 'response', ptr, item, 'response', `${label} ${status}`).map((issue) => ({ ...issue, message: `[${i}] ${issue.message}` })),
      );
    }
    return this.runSchema(m.spec, 'response', ptr, body, 'response', `${label} ${status}`);
  }

  /** Throws `ContractViolation` when the request breaks the contract; returns the operation otherwise. */
  assertRequest(product: Product, method: string, pathWithQuery: string, body: unknown): OperationRef {
    const { operation, issues } = this.validateRequest(product, method, pathWithQuery, body);
    if (issues.length || !operation) throw new ContractViolation(issues, `${method.toUpperCase()} ${pathWithQuery}`);
    return operation;
  }

  /** Throws `ContractViolation` when the response breaks the contract. */
  assertResponse(product: Product, method: string, pathWithQuery: string, status: number, body: unknown): void {
    const issues = this.validateResponse(product, method, pathWithQuery, status, body);
    if (issues.length) throw new ContractViolation(issues, `${method.toUpperCase()} ${pathWithQuery} → ${status}`);
  }

  // -------------------------------------------------------------------------------------------------------

  private match(product: Product, method: string, pathname: string): MatchedOperation | undefined {
    let pathOnly: MatchedOperation | undefined;
    for (const name of PRODUCT_SPECS[product]) {
      const m = this.specs[name].match(method, pathname);
      if (m?.op) return m;
      pathOnly ??= m;
    }
    return pathOnly;
  }

  private noSuchOperation(product: Product, method: string, pathname: string, pathOnly?: MatchedOperation): ValidationIssue {
    const specName: SpecName = pathOnly?.spec.name ?? (product === 'jira' ? 'jira-v3' : pathname.startsWith('/wiki/api/v2') ? 'confluence-v2' : 'confluence-v1');
    let hint = '';
    if (pathOnly) {
      const methods = HTTP_METHODS.filter((x) => isObject(pathOnly.route.item[x])).map((x) => x.toUpperCase());
      hint = ` (${pathOnly.route.template} only supports ${methods.join(', ')})`;
    }
    return { where: 'path', message: `no such operation in ${specName}: ${method.toUpperCase()} ${pathname}${hint}` };
  }

  private checkParam(m: MatchedOperation, p: ParamInfo, value: unknown, where: 'path' | 'query', issues: ValidationIssue[]): void {
    if (!p.schemaPointer) return;
    const messages = this.runSchema(m.spec, 'request', p.schemaPointer, value, where, '');
    for (const i of messages) {
      issues.push({ where, message: `${where} parameter '${p.name}' = ${JSON.stringify(value)}: ${i.message.replace(/^\(root\) /, '')}` });
    }
  }

  private checkRequestBody(m: MatchedOperation, body: unknown): ValidationIssue[] {
    const label = `${m.method.toUpperCase()} ${m.route.template}`;
    let rbPtr = `${operationPointer(m)}/requestBody`;
    let rb: unknown = m.op?.requestBody;
    if (isObject(rb) && typeof rb.$ref === 'string') {
      rbPtr = rb.$ref;
      rb = deref(m.spec.doc, rb);
    }
    if (!isObject(rb)) {
      return isEmptyBody(body) ? [] : [{ where: 'body', message: `${label} declares no request body, but one was sent` }];
    }
    if (isEmptyBody(body)) return rb.required === true ? [{ where: 'body', message: `${label} requires a request body` }] : [];
    const picked = pickJsonContent(rb.content);
    if (!picked) return []; // multipart / binary uploads are not validated here
    if (picked.media.schema === undefined) return [];
    const ptr = `${rbPtr}/content/${escapePointer(picked.mediaType)}/schema`;
    return this.runSchema(m.spec, 'request', ptr, body, 'body', label);
  }

  private runSchema(spec: LoadedSpec, direction: Direction, pointer: string, data: unknown, where: ValidationIssue['where'], label: string): ValidationIssue[] {
    const validate = spec.validatorAt(direction, pointer);
    if (validate instanceof Error) return [{ where, message: validate.message }];
    if (validate(data)) return [];
    const prefix = label ? `${label}: ` : '';
    return formatAjvErrors(validate.errors).map((message) => ({ where, message: `${prefix}${message}` }));
  }
}

function toRef(product: Product, m: MatchedOperation): OperationRef {
  const operationId = typeof m.op?.operationId === 'string' ? m.op.operationId : undefined;
  return {
    product,
    spec: m.spec.name,
    method: m.method.toUpperCase(),
    template: m.route.template,
    ...(operationId ? { operationId } : {}),
    specPath: m.route.specPath,
    params: m.params,
  };
}
