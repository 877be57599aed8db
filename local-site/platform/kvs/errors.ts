/**
 * Errors of the local KVS service. On the wire every non-2xx answer is `{ code, message, ...extra }`,
 * which is what `@forge/kvs` (utils/error-handling.js) decodes into a `ForgeKvsAPIError`
 * (`code`, `message`, and `context` = `{ ...body.context, ...anyOtherBodyFields }`).
 */
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

export function badRequest(code: string, message: string, extra?: Record<string, unknown>): never {
  throw new KvsServiceError(400, code, message, extra);
}

export function invalidBody(message: string): never {
  throw new KvsServiceError(400, 'BAD_REQUEST', `Provided request body is invalid: ${message}`);
}

/** The SDK turns exactly this (404 + code KEY_NOT_FOUND) into `undefined` for get and a no-op for delete. */
export function keyNotFound(): never {
  throw new KvsServiceError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
}
