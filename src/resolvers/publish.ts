/**
 * The macro's publish calls (merged into the postmortem macro's resolver): the page, the macro and the user
 * come from the invocation context, never from the payload.
 */
import type { PublishOutcome, PublishView } from '../contract/publish';
import { publishPostmortem, publishState, readForPublishing, runView, type PublishTarget } from '../services/publish-postmortem';
import { respond } from './respond';

interface MacroContextLike {
  accountId?: string;
  localId?: string;
  siteUrl?: string;
  extension?: { content?: { id?: string } };
}

type Target = (context: MacroContextLike) => { pageId: string; localId: string; accountId: string };
type PageUrl = (context: MacroContextLike, pageId: string) => string;

function targetOf(context: MacroContextLike, macroTarget: Target, pageUrl: PageUrl): PublishTarget {
  const { pageId, localId, accountId } = macroTarget(context);
  return { pageId, localId, accountId, pageUrl: pageUrl(context, pageId), siteUrl: String(context.siteUrl ?? '') };
}

/** The definitions, given how the macro resolver reads its target and builds page links. */
export function publishDefinitions(macroTarget: Target, pageUrl: PageUrl) {
  return {
    getPublishState: ({ context }: { context: MacroContextLike }) =>
      respond(async (): Promise<PublishView> => {
        const target = targetOf(context, macroTarget, pageUrl);
        return publishState(target, await readForPublishing(target));
      }),
    publishPostmortem: ({ context }: { context: MacroContextLike }) =>
      respond(async (): Promise<PublishOutcome> => {
        const target = targetOf(context, macroTarget, pageUrl);
        // One read (the document and the publisher's right to edit), handed to the use case.
        const out = await publishPostmortem(target, await readForPublishing(target));
        return { run: runView(out.run, target.siteUrl), postmortem: out.postmortem, version: out.version, alreadyPublished: out.alreadyPublished };
      }),
  };
}
