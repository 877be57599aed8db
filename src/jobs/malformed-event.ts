/** How a queue consumer answers an event it cannot act on: dropped, not retried (a retry could not fix it). */
import type { z } from 'zod';
import { fieldErrorsOf } from '../domain/validation';

/** What a consumer says about an event it cannot act on: dropped (a retry could not fix it), with the reasons. */
export interface MalformedEvent { dropped: 'malformed-event'; fieldErrors: Record<string, string> }

export function malformed(queue: string, error: z.ZodError): MalformedEvent {
  const fieldErrors = fieldErrorsOf(error, 'body');
  console.warn(`Dropped a malformed event from queue ${queue}`, fieldErrors);
  return { dropped: 'malformed-event', fieldErrors };
}
