/**
 * How a Forge storage refusal is recognised. `ForgeKvsAPIError` (@forge/kvs out/errors.js) carries the HTTP
 * status in `responseDetails.status` and the server's `code`; no SDK file or Atlassian page names the code a
 * FAIL_IF_EXISTS conflict carries, so it is judged by its status, 409, alone.
 */
import { ForgeKvsAPIError } from '@forge/kvs';

/** True when a `keyPolicy: 'FAIL_IF_EXISTS'` set found the key already there. */
export function isKeyConflict(e: unknown): boolean {
  return e instanceof ForgeKvsAPIError && e.responseDetails.status === 409;
}
