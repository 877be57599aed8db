/**
 * The body of a page created for an incident: a short lead-in and the Postmortem macro, stored the way
 * Confluence stores a Forge macro (an `extension` node of type com.atlassian.ecosystem).
 */
import { doc, p, text, link, em } from '@atlaskit/adf-utils/builders';

export const POSTMORTEM_MACRO_KEY = 'pft-postmortem';

export interface MacroIds { appId: string; environmentId: string; localId: string }

export function postmortemMacroNode(ids: MacroIds) {
  const extensionKey = `${ids.appId}/${ids.environmentId}/static/${POSTMORTEM_MACRO_KEY}`;
  return {
    type: 'extension' as const,
    attrs: {
      extensionType: 'com.atlassian.ecosystem',
      extensionKey,
      parameters: {
        localId: ids.localId,
        extensionId: `ari:cloud:ecosystem::extension/${extensionKey}`,
        extensionTitle: 'Postmortem',
        guestParams: {},
      },
      layout: 'default' as const,
      localId: ids.localId,
    },
  };
}

export function postmortemPageBody(input: { incidentKey: string; incidentUrl: string } & MacroIds) {
  return doc(
    p(
      em(text('Blameless postmortem for ')),
      link({ href: input.incidentUrl })(text(input.incidentKey)),
      em(text('. Fill in the summary, impact and timeline before the review meeting; action items are added during it.')),
    ),
    postmortemMacroNode(input),
  );
}

/** The localId of the first Postmortem macro in a page body, if the page has one. */
export function findPostmortemMacro(adf: unknown): string | undefined {
  const stack: unknown[] = [adf];
  while (stack.length) {
    const node = stack.pop() as { type?: string; attrs?: { extensionKey?: string; parameters?: { localId?: string }; localId?: string }; content?: unknown[] } | null;
    if (!node || typeof node !== 'object') continue;
    if ((node.type === 'extension' || node.type === 'bodiedExtension') && String(node.attrs?.extensionKey ?? '').endsWith(`/static/${POSTMORTEM_MACRO_KEY}`)) {
      return node.attrs?.parameters?.localId ?? node.attrs?.localId;
    }
    if (Array.isArray(node.content)) stack.push(...[...node.content].reverse());
  }
  return undefined;
}
