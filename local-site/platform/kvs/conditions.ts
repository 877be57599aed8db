/**
 * Ordering and condition evaluation shared by key queries, entity index queries, entity filters and
 * transaction conditions. Wire shape of a condition (see @forge/kvs/out/conditions.js):
 * `{ condition: 'BEGINS_WITH' | 'BETWEEN' | ..., values: [...] }`, plus `property` for filters.
 */
import { badRequest, invalidBody } from './errors';

export const RANGE_CONDITIONS = [
  'BEGINS_WITH', 'BETWEEN', 'EQUAL_TO', 'GREATER_THAN', 'GREATER_THAN_EQUAL_TO', 'LESS_THAN', 'LESS_THAN_EQUAL_TO',
] as const;
export const FILTER_CONDITIONS = [
  ...RANGE_CONDITIONS, 'CONTAINS', 'NOT_CONTAINS', 'EXISTS', 'NOT_EXISTS', 'NOT_EQUAL_TO',
] as const;
export type ConditionName = (typeof FILTER_CONDITIONS)[number];

export interface Condition { condition: ConditionName; values: unknown[] }
export interface FilterItem extends Condition { property: string }
export interface Filters { operator: 'and' | 'or'; items: FilterItem[] }

/** Byte-wise UTF-8 ordering, as a DynamoDB-style store orders string keys. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  return 4;
}

/** Total order over attribute values: by type (missing < boolean < number < string < other), then by value. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (ra === 4) return compareStrings(JSON.stringify(a), JSON.stringify(b));
  return 0;
}

export function compareTuples(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

/** Ordered comparisons only hold between two numbers or two strings (a string never equals a number). */
function comparable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function evaluateCondition(actual: unknown, cond: Condition): boolean {
  const [v0, v1] = cond.values;
  switch (cond.condition) {
    case 'EXISTS': return actual !== undefined;
    case 'NOT_EXISTS': return actual === undefined;
    case 'EQUAL_TO': return actual !== undefined && jsonEqual(actual, v0);
    case 'NOT_EQUAL_TO': return !jsonEqual(actual, v0);
    case 'BEGINS_WITH': return typeof actual === 'string' && actual.startsWith(String(v0));
    case 'CONTAINS': return contains(actual, v0);
    case 'NOT_CONTAINS': return !contains(actual, v0);
    case 'GREATER_THAN': return comparable(actual, v0) && compareValues(actual, v0) > 0;
    case 'GREATER_THAN_EQUAL_TO': return comparable(actual, v0) && compareValues(actual, v0) >= 0;
    case 'LESS_THAN': return comparable(actual, v0) && compareValues(actual, v0) < 0;
    case 'LESS_THAN_EQUAL_TO': return comparable(actual, v0) && compareValues(actual, v0) <= 0;
    case 'BETWEEN':
      return comparable(actual, v0) && comparable(actual, v1) && compareValues(actual, v0) >= 0 && compareValues(actual, v1) <= 0;
  }
}

function contains(actual: unknown, needle: unknown): boolean {
  if (typeof actual === 'string') return typeof needle === 'string' && actual.includes(needle);
  if (Array.isArray(actual)) return actual.some((x) => jsonEqual(x, needle));
  return false;
}

export function evaluateFilters(value: unknown, filters: Filters): boolean {
  const attrs = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const results = filters.items.map((f) => evaluateCondition(attrs[f.property], f));
  return filters.operator === 'and' ? results.every(Boolean) : results.some(Boolean);
}

/** Parses `{ condition, values }` (and `property` when `withProperty`); `allowed` limits which conditions are accepted. */
export function parseCondition(raw: unknown, allowed: readonly string[], what: string): Condition {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) invalidBody(`${what} must be an object`);
  const { condition, values } = raw as { condition?: unknown; values?: unknown };
  if (typeof condition !== 'string' || !allowed.includes(condition)) {
    badRequest(`${what}: condition '${String(condition)}' is not supported here (supported: ${allowed.join(', ')})`);
  }
  if (!Array.isArray(values)) invalidBody(`${what}.values must be an array`);
  if (condition === 'BETWEEN' && values.length < 2) {
    badRequest(`${what}: the BETWEEN condition needs two values`);
  }
  if (values.length < 1) badRequest(`${what}: condition ${condition} needs a value`);
  for (const v of values) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) invalidBody(`${what}: condition values must be strings, numbers or booleans`);
  }
  return { condition: condition as ConditionName, values };
}

/** Parses the wire form `{ and: [...] }` / `{ or: [...] }` used by entity query filters and transaction conditions. */
export function parseFilters(raw: unknown, what: string, knownAttributes?: ReadonlySet<string>): Filters | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) invalidBody(`${what} must be an object like { and: [...] } or { or: [...] }`);
  const obj = raw as { and?: unknown; or?: unknown };
  const keys = Object.keys(obj).filter((k) => (obj as Record<string, unknown>)[k] !== undefined);
  for (const k of keys) if (k !== 'and' && k !== 'or') invalidBody(`${what}: unknown filter operator '${k}'`);
  if (obj.and !== undefined && obj.or !== undefined) {
    badRequest(`${what}: filter operators "and" and "or" cannot be present at the same level`);
  }
  const operator: 'and' | 'or' = obj.and !== undefined ? 'and' : 'or';
  const list = obj[operator];
  if (list === undefined || (Array.isArray(list) && list.length === 0)) {
    badRequest(`${what}: filter operators "and" and "or" cannot be empty`);
  }
  if (!Array.isArray(list)) invalidBody(`${what}.${operator} must be an array`);
  const items = list.map((item, i): FilterItem => {
    const cond = parseCondition(item, FILTER_CONDITIONS, `${what}.${operator}[${i}]`);
    const property = (item as { property?: unknown }).property;
    if (typeof property !== 'string' || property === '') invalidBody(`${what}.${operator}[${i}].property must be a non-empty string`);
    if (knownAttributes && !knownAttributes.has(property)) {
      badRequest(`${what}: '${property}' is not an attribute of this entity`);
    }
    return { ...cond, property };
  });
  return { operator, items };
}
