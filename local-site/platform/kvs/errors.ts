/**
 * Errors of the local KVS service. On the wire every non-2xx answer is `{ code, message }`, which is what
 * `@forge/kvs` (utils/error-handling.js) decodes into a `ForgeKvsAPIError` (`code`, `message`, `context`,
 * and the HTTP status in `responseDetails.status`).
 *
 * Codes: only the ones Atlassian's own SDK names (`@forge/kvs` out/__test__/index.test.js and
 * out/utils/__test__/error-handling.test.js): KEY_NOT_FOUND, BAD_REQUEST, VALIDATION_ERROR,
 * PERMISSION_DENIED, STORAGE_LIMIT_EXCEEDED, INTERNAL_SERVER_ERROR. The site's precise reason goes into the
 * message, never into a code an app could start to depend on. Where no source names the code of an answer
 * (a FAIL_IF_EXISTS conflict, a failed transaction condition), the code is a guess, marked `GUESSED_CODE`:
 * apps must judge those answers by their HTTP status.
 */
export const KVS_CODES = {
  keyNotFound: 'KEY_NOT_FOUND',
  badRequest: 'BAD_REQUEST',
  validation: 'VALIDATION_ERROR',
  internal: 'INTERNAL_SERVER_ERROR',
} as const;

/**
 * Codes no SDK file or Atlassian page names. GUESS: Cloud answers these with 409; what code its body
 * carries is unknown. They are deliberately not names an app would guess, so that only the status works.
 */
export const GUESSED_CODE = {
  /** FAIL_IF_EXISTS on a key that exists (409). */
  keyConflict: 'CONFLICT',
  /** A transaction whose condition failed (409). */
  conditionFailed: 'CONFLICT',
  /** A path the local service does not serve (only ever a bug in the local site). */
  notFound: 'NOT_FOUND',
} as const;

export class KvsServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KvsServiceError';
  }

  toBody(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** A request the service cannot take (query shape, cursor, index, batch or transaction size): 400 BAD_REQUEST. */
export function badRequest(message: string): never {
  throw new KvsServiceError(400, KVS_CODES.badRequest, message);
}

/** A key, value, TTL or entity value the service refuses: 400 VALIDATION_ERROR (the code the SDK's tests use for an invalid value). */
export function invalidValue(message: string): never {
  throw new KvsServiceError(400, KVS_CODES.validation, message);
}

export function invalidBody(message: string): never {
  throw new KvsServiceError(400, KVS_CODES.badRequest, `Provided request body is invalid: ${message}`);
}

/** The SDK turns exactly this (404 + code KEY_NOT_FOUND) into `undefined` for get and a no-op for delete. */
export function keyNotFound(): never {
  throw new KvsServiceError(404, KVS_CODES.keyNotFound, 'Provided key does not exist');
}
