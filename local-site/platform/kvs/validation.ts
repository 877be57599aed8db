/**
 * Limits the Forge storage service enforces (Forge docs "Error handling for the Key-Value Store /
 * Custom Entity Store", "Storage limits", "Custom entities").
 */
import { invalidBody, invalidValue } from './errors';

export const MAX_KEY_LENGTH = 500;
/** Forge docs: keys must match /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/ (the `\s-#` there is literal whitespace, '-' and '#'). */
export const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
export const MAX_VALUE_BYTES = 240 * 1024;
export const MAX_DEPTH = 32;
/** Entity names: 3..60 chars, /^(?![\.\-])(?!.*\.{2})[a-z0-9:\-.]*(?<![.])$/ (plus '_' from the manifest docs). */
export const ENTITY_NAME_PATTERN = /^(?![.-])(?!.*\.{2})[a-z0-9:._-]*(?<![.])$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export type KeySpace = 'kvs' | 'entity';

export function validateKey(key: unknown, space: KeySpace): string {
  if (typeof key !== 'string') invalidBody('key must be a string');
  if (key.length === 0) {
    if (space === 'entity') invalidValue('Key cannot be empty.');
    invalidValue('The provided key needs to be at least one character.');
  }
  if (key.length > MAX_KEY_LENGTH) invalidValue(`The provided key has exceeded the maximum ${MAX_KEY_LENGTH} characters.`);
  if (!KEY_PATTERN.test(key)) {
    invalidValue(`The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/ (key: ${JSON.stringify(key.slice(0, 80))})`);
  }
  return key;
}

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  let max = 0;
  for (const c of children) max = Math.max(max, depthOf(c));
  return 1 + max;
}

export function validateValue(value: unknown): void {
  if (value === undefined) invalidBody('value is required');
  const size = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (size > MAX_VALUE_BYTES) {
    invalidValue(`The provided value has exceeded the maximum size limit (${size} bytes serialized > ${MAX_VALUE_BYTES}).`);
  }
  if (depthOf(value) > MAX_DEPTH) invalidValue(`The provided value has exceeded the maximum object depth (${MAX_DEPTH}) limit.`);
}

const TTL_UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

/** `options.ttl = { value, unit }` → absolute expiry in ms, or undefined for no TTL. */
export function ttlToExpireTime(ttl: unknown, now: number): number | undefined {
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl !== 'object') invalidBody('options.ttl must be { value, unit }');
  const { value, unit } = ttl as { value?: unknown; unit?: unknown };
  if (typeof unit !== 'string' || !(unit in TTL_UNIT_MS)) {
    invalidValue(`options.ttl.unit must be one of ${Object.keys(TTL_UNIT_MS).join(', ')}`);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    invalidValue('options.ttl.value must be a positive integer');
  }
  return now + value * TTL_UNIT_MS[unit];
}

export const METADATA_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

export function parseMetadataFields(raw: unknown, what = 'options.metadataFields'): MetadataField[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) invalidBody(`${what} must be an array`);
  for (const f of raw) {
    if (!METADATA_FIELDS.includes(f as MetadataField)) invalidBody(`${what}: unknown metadata field ${JSON.stringify(f)}`);
  }
  return raw as MetadataField[];
}

export type AttributeType = 'string' | 'boolean' | 'float' | 'integer' | 'any';

/** True when `v` may be stored in an attribute of type `type` (Forge docs "Custom Entity Store → Type requirements"). */
export function matchesType(v: unknown, type: AttributeType): boolean {
  switch (type) {
    case 'any': return v !== undefined;
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      const a = Math.abs(v);
      return a === 0 || (a >= 1e-307 && a <= 1e308);
    }
  }
}

export function validateEntityName(name: unknown): string {
  if (typeof name !== 'string') invalidBody('entityName must be a string');
  if (name.length < 3) invalidValue('The provided entity name needs to be at least 3 characters.');
  if (name.length > 60) invalidValue('The provided entity name has exceeded the maximum 60 characters.');
  if (!ENTITY_NAME_PATTERN.test(name)) invalidValue(`The provided entity name '${name}' is not valid.`);
  return name;
}
