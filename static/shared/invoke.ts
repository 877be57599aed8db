import { makeInvoke } from '@forge/bridge';
import type { Definitions } from '@forge/resolver/shared';
import type { Result } from '../../src/contract/result';

/** A typed `invoke` for a module's resolver contract; a bridge failure becomes a Result failure too. */
export function typedInvoke<Defs extends Definitions>() {
  const invoke = makeInvoke<Defs>();
  return async <K extends keyof Defs & string>(key: K, ...args: Parameters<Defs[K]>): Promise<Awaited<ReturnType<Defs[K]>>> => {
    try {
      // makeInvoke's overloads cannot be called with a generic key and spread arguments: the types are the same.
      return await (invoke as unknown as (key: K, ...rest: Parameters<Defs[K]>) => Promise<Awaited<ReturnType<Defs[K]>>>)(key, ...args);
    } catch (e) {
      const failure: Result<never> = { ok: false, error: { code: 'upstream', message: `Could not reach the app: ${(e as Error).message}` } };
      return failure as Awaited<ReturnType<Defs[K]>>;
    }
  };
}
