/** Turns what a resolver throws into the `Result` failure the UI shows, so no call ends in a bare stack trace. */
import type { Result, UserFacingError } from '../contract/result';
import { AtlassianError, needsConsent } from '../atlassian/request';
import { JiraNotConnectedError } from '../atlassian/installation';
import { NewerSchemaError, UnreadableRecordError } from '../domain/storage-schema';
import { ServiceRefusal } from '../services/refusal';

/** A resolver's refusal; services throw their own (ServiceRefusal), and both reach the UI the same way. */
export class UserError extends ServiceRefusal {
  constructor(error: UserFacingError) {
    super(error);
    this.name = 'UserError';
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: UserFacingError): Result<never> => ({ ok: false, error });

export async function respond<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (e) {
    // Let it through: the Atlassian host answers a resolver that fails with it by asking the user to allow access.
    if (needsConsent(e)) throw e;
    if (e instanceof ServiceRefusal) return fail(e.error);
    // Jira is optional (manifest app.compatibility): what needs it says so, and nothing else breaks.
    // Stored data of a newer (or unreadable) format: said plainly, nothing is changed (src/domain/storage-schema.ts).
    if (e instanceof NewerSchemaError || e instanceof UnreadableRecordError) return fail({ code: 'conflict', message: e.message });
    if (e instanceof JiraNotConnectedError) return fail({ code: 'forbidden', message: e.message });
    if (e instanceof AtlassianError) {
      const code = e.status === 403 ? 'forbidden' : e.status === 404 ? 'not-found' : e.status === 409 ? 'conflict' : e.status === 400 ? 'invalid-input' : 'upstream';
      // Busy or failing (429 after our retries, 5xx): Jira's own words rarely help a person; say what to do.
      if (e.status === 429 || e.status >= 500) {
        return fail({ code, message: `Jira or Confluence is busy or having trouble right now (${e.status}). Try again in a moment: whatever already went through is kept and is not done twice.` });
      }
      return fail({ code, message: e.messages[0] ?? `Jira or Confluence answered ${e.status}.`, fieldErrors: Object.keys(e.fieldErrors).length ? e.fieldErrors : undefined });
    }
    // A request that never got an answer may still have been carried out; every write is safe to repeat.
    if (e instanceof Error && /Timeout|FetchError/i.test(e.name)) {
      return fail({ code: 'upstream', message: 'Jira or Confluence did not answer in time. Try again: whatever already went through is kept and is not done twice.' });
    }
    console.error('Unexpected resolver failure', e);
    return fail({ code: 'internal', message: 'Something went wrong on our side. Try again in a moment: whatever already went through is kept and is not done twice.' });
  }
}
