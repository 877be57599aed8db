/**
 * A use case's refusal, in words for the person: bad input, no permission, a clash. Services throw it; the
 * resolvers' `respond` turns it into the `Result` failure the UI shows (resolvers' own UserError is one).
 * It lives here because services may not import resolvers.
 */
import type { UserFacingError } from '../contract/result';

export class ServiceRefusal extends Error {
  constructor(readonly error: UserFacingError) {
    super(error.message);
    this.name = 'ServiceRefusal';
  }
}
