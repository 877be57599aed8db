/**
 * Turns OpenAPI 3.0 schema dialect into plain JSON Schema (draft-07) that Ajv understands.
 *
 * - `$ref: '#/...'` becomes `$ref: '<id>#/...'` so any fragment of the document (an inline parameter or
 *   request-body schema) can be compiled on its own against the registered document.
 * - `nullable: true` adds `null` to `type` (and to `enum` when there is one). Where a schema has no `type`
 *   (typically `{ allOf: [{ $ref }], nullable: true }`), the schema becomes `anyOf: [schema, { type: 'null' }]`.
 *   Strict OAS 3.0.3 says nullable without `type` has no effect; Atlassian clearly means "may be null", and
 *   honouring it only ever loosens validation.
 * - `required` entries naming a `readOnly` property are dropped for requests, `writeOnly` ones for responses
 *   (OAS 3.0: "required" for such properties only applies in the other direction).
 *
 * OpenAPI-only keywords (`example`, `xml`, `discriminator`, `readOnly`, `writeOnly`, `deprecated`,
 * `externalDocs`) are left in place: Ajv runs with `strict: false` and ignores or merely annotates them.
 */

export type Direction = 'request' | 'response';

type Json = unknown;
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local JSON pointer (`#/components/schemas/X`) in `doc`. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const parts = ref.slice(1).split('/').slice(1);
  let node: unknown = doc;
  for (const raw of parts) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Follows `$ref` chains in the untransformed document (at most a few hops). */
export function deref(doc: unknown, node: unknown): unknown {
  let cur = node;
  for (let i = 0; i < 16 && isObject(cur) && typeof cur.$ref === 'string'; i++) cur = resolvePointer(doc, cur.$ref);
  return cur;
}

function propertyFlag(doc: unknown, prop: unknown, flag: 'readOnly' | 'writeOnly'): boolean {
  if (!isObject(prop)) return false;
  if (prop[flag] === true) return true;
  const target = typeof prop.$ref === 'string' ? deref(doc, prop) : undefined;
  return isObject(target) && target[flag] === true;
}

export interface TransformResult {
  doc: JsonObject;
  /** Every `format` value seen, so unknown ones can be registered as "anything goes". */
  formats: Set<string>;
}

/** Deep-copies `doc` (an entire OpenAPI document) into Ajv-ready form for one direction. */
export function transformDocument(doc: JsonObject, id: string, direction: Direction): TransformResult {
  const formats = new Set<string>();
  const dropFlag = direction === 'request' ? 'readOnly' : 'writeOnly';

  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#')) out[k] = `${id}${v}`;
      else if (k === 'format' && typeof v === 'string') {
        formats.add(v);
        out[k] = v;
      } else if (k === 'example' || k === 'examples') out[k] = v; // opaque, never a schema
      // Atlassian writes `oneOf` for alternatives that are not mutually exclusive (e.g. Confluence v2's page
      // `body`: two schemas with no required fields, so every body matches both and "exactly one" always
      // fails). What they mean is "one of these shapes": validate as `anyOf`.
      else if (k === 'oneOf') out.anyOf = walk(v);
      else out[k] = walk(v);
    }
    if (Array.isArray(node.required) && isObject(node.properties)) {
      const props = node.properties;
      out.required = (node.required as unknown[]).filter((name) => typeof name !== 'string' || !propertyFlag(doc, props[name], dropFlag));
    }
    if (typeof node.nullable === 'boolean') {
      const nullable = node.nullable;
      delete out.nullable;
      if (nullable) {
        if (typeof out.type === 'string') {
          out.type = [out.type, 'null'];
          if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
        } else if (Array.isArray(out.type)) {
          if (!out.type.includes('null')) out.type = [...(out.type as unknown[]), 'null'];
        } else {
          return { anyOf: [out, { type: 'null' }] };
        }
      }
    }
    return out;
  };

  return { doc: walk(doc) as JsonObject, formats };
}
