/**
 * The email announcing a published postmortem to the engineering list: the Postmortem Summary with its
 * action items, as the essay asks ("Send out the Postmortem Summary doc, including Action Items"). Plain text
 * and HTML of the same content. Pure, no I/O.
 */
import type { Postmortem } from '../contract/postmortem';
import { computeTimelineMetrics, formatDuration } from './timeline';
import { shortText } from './publish';

export interface PublishEmail {
  subject: string;
  text: string;
  html: string;
  /** Stable per postmortem, so that mail systems recognise a resend after an unknown outcome as the same message. */
  messageId: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function publishEmail(input: { pm: Postmortem; pageUrl: string; pageId: string; localId: string; incidentUrl: string | null; publisherName: string }): PublishEmail {
  const { pm } = input;
  const metrics = computeTimelineMetrics(pm.timeline);
  const durations = [
    ['Time to detect', metrics.timeToDetectMs],
    ['Time to resolve', metrics.timeToResolveMs],
  ].filter((d): d is [string, number] => d[1] != null);
  const items = pm.actionItems.filter((i) => i.state === 'accepted');
  const itemLine = (i: (typeof items)[number]) =>
    `${i.title}${i.issue ? ` (${i.issue.key})` : ''}${i.owner ? ` \u2014 ${i.owner.displayName}${i.owner.kind === 'team' ? ' (team)' : ''}` : ''}`;
  const sections: { heading: string; body: string }[] = [
    { heading: 'Summary', body: shortText(pm.summary, 1500) || 'No summary written.' },
    { heading: 'Impact', body: shortText(pm.impact, 1000) || 'Not described.' },
    { heading: 'Root cause', body: shortText(pm.rootCause, 1000) || 'Not identified.' },
  ];
  const subject = `[Postmortem ${pm.severity}] ${pm.title}`.slice(0, 200);

  const text = [
    `${input.publisherName} published the blameless postmortem "${pm.title}" (${pm.severity}${pm.incidentKey ? `, incident ${pm.incidentKey}` : ''}).`,
    '',
    ...sections.flatMap((s) => [s.heading, s.body, '']),
    ...(durations.length ? [durations.map(([k, v]) => `${k}: ${formatDuration(v)}`).join(' \u00b7 '), ''] : []),
    'Action items',
    ...(items.length ? items.map((i) => `- ${itemLine(i)}`) : ['None agreed.']),
    '',
    `Read the whole postmortem: ${input.pageUrl}`,
    ...(input.incidentUrl ? [`Incident: ${input.incidentUrl}`] : []),
    '',
    'Sent by Postmortem Follow-Through so that everyone can learn from this incident.',
  ].join('\n');

  const html = [
    `<p>${esc(input.publisherName)} published the blameless postmortem <a href="${esc(input.pageUrl)}">${esc(pm.title)}</a> (${esc(pm.severity)}${pm.incidentKey ? `, incident ${input.incidentUrl ? `<a href="${esc(input.incidentUrl)}">${esc(pm.incidentKey)}</a>` : esc(pm.incidentKey)}` : ''}).</p>`,
    ...sections.map((s) => `<h3>${esc(s.heading)}</h3><p>${esc(s.body)}</p>`),
    ...(durations.length ? [`<p>${durations.map(([k, v]) => `${esc(k)}: <strong>${esc(formatDuration(v))}</strong>`).join(' &middot; ')}</p>`] : []),
    '<h3>Action items</h3>',
    items.length ? `<ul>${items.map((i) => `<li>${esc(itemLine(i))}</li>`).join('')}</ul>` : '<p>None agreed.</p>',
    `<p><a href="${esc(input.pageUrl)}">Read the whole postmortem</a></p>`,
    '<p><em>Sent by Postmortem Follow-Through so that everyone can learn from this incident.</em></p>',
  ].join('\n');

  return { subject, text, html, messageId: `<pft-publish-${input.pageId}-${input.localId}@postmortem-follow-through>` };
}
