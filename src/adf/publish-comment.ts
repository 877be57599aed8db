/**
 * The comment a published postmortem leaves on its incident: what was learned in two lines, how many action
 * items came out of it, and the link. Its closing line is the marker a retry finds it by.
 */
import { doc, p, text, link, strong, em } from '@atlaskit/adf-utils/builders';
import type { Postmortem } from '../contract/postmortem';
import { publishCommentMarker, shortText } from '../domain/publish';

export function publishComment(input: { pm: Postmortem; pageUrl: string; pageId: string; localId: string }) {
  const { pm } = input;
  const accepted = pm.actionItems.filter((i) => i.state === 'accepted');
  const keys = accepted.filter((i) => i.issue).map((i) => i.issue!.key);
  const items = accepted.length
    ? `${accepted.length} action item${accepted.length === 1 ? '' : 's'} agreed${keys.length ? ` (${keys.join(', ')})` : ''}.`
    : 'No action items were agreed.';
  return doc(
    p(strong(text('Postmortem published: ')), link({ href: input.pageUrl })(text(pm.title || 'Postmortem')), text(` (${pm.severity})`)),
    ...(pm.summary.trim() ? [p(text(shortText(pm.summary, 300)))] : []),
    p(text(items)),
    p(em(text(publishCommentMarker(input.pageId, input.localId)))),
  );
}
