/**
 * The gentle follow-up comment: blameless, specific (why, how long, which postmortem), addressed to whoever
 * can move the item, and clear that closing it as Won't Do is a good outcome when it is no longer worth it.
 * The closing line doubles as the marker the job recognises its own comment by.
 */
import { doc, p, text, link, mention, em } from '@atlaskit/adf-utils/builders';

export const followUpMarker = (n: number, max: number) => `Follow-up ${n} of ${max} from Postmortem Follow-Through.`;
export const HANDOVER_MARKER = 'Handed over by Postmortem Follow-Through.';
export const INCIDENT_REMINDER_MARKER = 'Postmortem reminder from Postmortem Follow-Through.';

interface Addressee { accountId: string | null; fallback: string }

function greeting(to: Addressee) {
  return to.accountId ? [text('Hi '), mention({ id: to.accountId }), text(', ')] : [text(`Hi ${to.fallback}, `)];
}

export function followUpComment(input: { to: Addressee; reasons: string[]; postmortemTitle: string; pageUrl: string; n: number; max: number }) {
  return doc(
    p(...greeting(input.to), text('a gentle nudge on this action item from the postmortem '), link({ href: input.pageUrl })(text(input.postmortemTitle)), text(`: ${joinReasons(input.reasons)}.`)),
    p(text('If it is still worth doing, an owner, a priority or a short update is all it needs. If it no longer is, closing it as Won\u2019t Do with a sentence on why is a perfectly good outcome.')),
    p(em(text(followUpMarker(input.n, input.max)))),
  );
}

export function handoverComment(input: { to: Addressee; postmortemTitle: string; pageUrl: string; followUps: number }) {
  return doc(
    p(...greeting(input.to), text(`this action item from your postmortem `), link({ href: input.pageUrl })(text(input.postmortemTitle)), text(` has had ${input.followUps} follow-ups without moving.`)),
    p(text('Could you decide what happens to it: find it an owner and a slot in a backlog, or close it as Won\u2019t Do if it is not worth the effort after all? There will be no more automatic follow-ups on it.')),
    p(em(text(HANDOVER_MARKER))),
  );
}

export function incidentReminderComment(input: { to: Addressee; resolvedOn: string; businessDays: number }) {
  return doc(
    p(...greeting(input.to), text(`this incident was resolved on ${input.resolvedOn} and has no postmortem yet (they are due within ${input.businessDays} business days).`)),
    p(text('A short blameless postmortem turns it into improvements: use "Create postmortem" on this issue to start one prefilled from the incident, and schedule the review while memories are fresh.')),
    p(em(text(INCIDENT_REMINDER_MARKER))),
  );
}

function joinReasons(reasons: string[]): string {
  if (reasons.length <= 1) return reasons[0] ?? 'it could use a look';
  return `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
}
