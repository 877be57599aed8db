/**
 * Forge storage keys made from text people typed (item ids, issue keys): KVS keys take only letters, digits
 * and `: . _ - #` and at most 500 characters (local-site/platform/kvs/validation.ts, after @forge/kvs), so
 * any id is hashed into a fixed-length hex part. No accepted id can break a key, and two ids never share one.
 */
import { createHash } from 'node:crypto';

export function keyPart(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 40);
}
