/** How every resolver answers: a value, or a failure the UI can show next to the right field. */
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: UserFacingError };

export interface UserFacingError {
  /** Stable code the UI can branch on. */
  code: 'invalid-input' | 'forbidden' | 'not-found' | 'conflict' | 'upstream' | 'internal';
  /** One sentence a person can act on. */
  message: string;
  /** Per field (dotted path) messages for forms. */
  fieldErrors?: Record<string, string>;
}
