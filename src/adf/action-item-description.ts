/** The Jira description of an action-item issue: where it came from and why it matters. */
import { doc, p, text, link, strong, em } from '@atlaskit/adf-utils/builders';
import type { ActionItem, Postmortem } from '../contract/postmortem';
import { FAILURE_PROMPTS } from './postmortem-document';

export function actionItemDescription(item: ActionItem, pm: Postmortem, pageUrl: string) {
  return doc(
    ...(item.description.trim() ? item.description.split(/\n{2,}/).map((para) => p(text(para.trim()))) : []),
    p(strong(text('From the postmortem: ')), link({ href: pageUrl })(text(pm.title || 'Postmortem')), ...(pm.incidentKey ? [text(` (incident ${pm.incidentKey})`)] : [])),
    ...(item.fromFailure ? [p(strong(text('Addresses: ')), text(FAILURE_PROMPTS[item.fromFailure]))] : []),
    p(strong(text('Effort: ')), text(item.effort), text(' · '), strong(text('Impact: ')), text(item.impact), ...(item.owner?.kind === 'team' ? [text(' · '), strong(text('Team: ')), text(item.owner.displayName)] : [])),
    p(em(text('If this is no longer worth doing, close it as Won\u2019t Do with a short reason: that is a fine outcome too.'))),
  );
}
