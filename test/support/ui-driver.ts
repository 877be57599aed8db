/**
 * The one typed way tests call the app's resolvers as a Custom UI iframe would: the module key picks the
 * resolver contract (src/contract), so a function name, its payload and its result are checked by the
 * compiler against what the UI itself uses. Tests that must send what the contract forbids (fuzzing, attacks)
 * call `site.invokeUi` directly.
 */
import type { LocalSite } from '../../local-site/site';
import type { Result } from '../../src/contract/result';
import type { PostmortemMacroDefinitions } from '../../src/contract/postmortem-macro';
import type { ActionItemDefinitions } from '../../src/contract/action-items';
import type { PublishDefinitions } from '../../src/contract/publish';
import type { PostmortemIndexDefinitions } from '../../src/contract/postmortem-index';
import type { IncidentPostmortemDefinitions } from '../../src/contract/incident-postmortem';
import type { ReportDefinitions } from '../../src/contract/report';
import type { ActionItemOriginDefinitions } from '../../src/contract/action-item-origin';
import type { SettingsDefinitions } from '../../src/contract/settings';

/** Each UI module (manifest key) and the contract its resolver serves, as static/<app> imports it. */
export type UiContracts = {
  'pft-postmortem': PostmortemMacroDefinitions & ActionItemDefinitions & PublishDefinitions;
  'pft-postmortem-index-macro': PostmortemIndexDefinitions;
  'pft-postmortem-index': PostmortemIndexDefinitions;
  'pft-create-postmortem': IncidentPostmortemDefinitions;
  'pft-postmortems': IncidentPostmortemDefinitions;
  'pft-follow-through': ReportDefinitions;
  'pft-follow-through-project': ReportDefinitions;
  'pft-action-item-origin': ActionItemOriginDefinitions;
  'pft-settings': SettingsDefinitions;
};

export type UiModule = keyof UiContracts;
export type UiFunction<M extends UiModule> = keyof UiContracts[M] & string;
type Contract<M extends UiModule, F extends UiFunction<M>> = UiContracts[M][F] extends (...args: infer A) => infer R ? { args: A; result: R } : never;
/** What the function takes: nothing, or its one payload. */
export type UiArgs<M extends UiModule, F extends UiFunction<M>> = Contract<M, F>['args'];
/** What it answers: always a `Result`. */
export type UiResult<M extends UiModule, F extends UiFunction<M>> = Contract<M, F>['result'];

/** The invocation context the product passes; the module's data (macro content, issue, project) goes in `extension`. */
export interface UiContext {
  extension?: Record<string, unknown>;
  localId?: string;
}

/** Calls `functionKey` of module `moduleKey` as `accountId`, in `context`. */
export async function invokeUi<M extends UiModule, F extends UiFunction<M>>(
  site: LocalSite,
  moduleKey: M,
  accountId: string,
  context: UiContext,
  functionKey: F,
  ...args: UiArgs<M, F>
): Promise<UiResult<M, F>> {
  const [payload] = args as unknown[];
  return (await site.invokeUi(moduleKey, { functionKey, payload }, { accountId, ...context })) as UiResult<M, F>;
}

/** A driver for one module in one context: `ui(accountId, functionKey, payload?)`. */
export function uiDriver<M extends UiModule>(site: LocalSite | (() => LocalSite), moduleKey: M, context: UiContext = {}) {
  return <F extends UiFunction<M>>(accountId: string, functionKey: F, ...args: UiArgs<M, F>): Promise<UiResult<M, F>> =>
    invokeUi(typeof site === 'function' ? site() : site, moduleKey, accountId, context, functionKey, ...args);
}

/** The postmortem macro `localId` on page `pageId` (the context Confluence gives the macro's iframe). */
export function macroDriver(site: LocalSite | (() => LocalSite), localId: string, pageId: string) {
  return uiDriver(site, 'pft-postmortem', { localId, extension: { content: { id: pageId, type: 'page' } } });
}

/** The value of a successful result; a failure throws with its error (and `why`, when given). */
export function value<T>(r: Result<T>, why?: string): T {
  if (!r.ok) throw new Error(`expected ok${why ? ` (${why})` : ''}, got ${JSON.stringify(r.error)}`);
  return r.value;
}
