/**
 * The weekly digest page: the postmortems published that week and the action items completed, each linked,
 * so that everyone watching the space learns from them. Built with @atlaskit/adf-utils (valid ADF).
 */
import { doc, heading, p, text, link, em, table, tableRow, tableHeader, tableCell } from '@atlaskit/adf-utils/builders';
import type { Week } from '../domain/publish';

export interface DigestPostmortem { title: string; severity: string; pageUrl: string; incidentKey: string; publishedAt: string; ownerName: string }
export interface DigestActionItem { key: string; summary: string; resolvedAt: string; assignee: string | null; postmortemTitle: string; postmortemUrl: string }

const restrictedNote = (n: number, what: string, verb: string) =>
  n > 0 ? [p(em(text(`${n} ${what}${n === 1 ? '' : 's'} ${n === 1 ? 'was' : 'were'} also ${verb}; not every reader of this space may see ${n === 1 ? 'it' : 'them'}, so ${n === 1 ? 'it is' : 'they are'} not listed.`)))] : [];
const cell = (...content: Parameters<typeof p>) => tableCell()(p(...content));
const head = (label: string) => tableHeader()(p(text(label)));

/** Restricted: published or completed, but not visible to every reader of the digest space, so only counted. */
export function digestPage(input: { week: Week; postmortems: DigestPostmortem[]; completed: DigestActionItem[]; restricted?: { postmortems: number; completed: number }; siteUrl: string }) {
  const { week } = input;
  const day = (iso: string) => iso.slice(0, 10);
  const pmTable = input.postmortems.length
    ? [
        table(
          tableRow([head('Postmortem'), head('Severity'), head('Incident'), head('Owner'), head('Published')]),
          ...input.postmortems.map((pm) =>
            tableRow([
              cell(link({ href: pm.pageUrl })(text(pm.title || 'Postmortem'))),
              cell(text(pm.severity)),
              cell(...(pm.incidentKey ? [link({ href: `${input.siteUrl}/browse/${pm.incidentKey}` })(text(pm.incidentKey))] : [text('\u2014')])),
              cell(text(pm.ownerName || '\u2014')),
              cell(text(day(pm.publishedAt))),
            ]),
          ),
        ),
      ]
    : [p(em(text('No postmortems were published this week.')))];
  const doneTable = input.completed.length
    ? [
        table(
          tableRow([head('Action item'), head('Summary'), head('From the postmortem'), head('Assignee'), head('Done on')]),
          ...input.completed.map((item) =>
            tableRow([
              cell(link({ href: `${input.siteUrl}/browse/${item.key}` })(text(item.key))),
              cell(text(item.summary || '\u2014')),
              cell(link({ href: item.postmortemUrl })(text(item.postmortemTitle || 'Postmortem'))),
              cell(text(item.assignee ?? 'Unassigned')),
              cell(text(day(item.resolvedAt))),
            ]),
          ),
        ),
      ]
    : [p(em(text('No action items were completed this week.')))];
  return doc(
    p(text(`What we learned and what we fixed in the week ${week.start} to ${week.end} (${week.id}).`)),
    heading({ level: 2 })(text(`Postmortems published (${input.postmortems.length})`)),
    ...pmTable,
    ...restrictedNote(input.restricted?.postmortems ?? 0, 'restricted postmortem', 'published'),
    heading({ level: 2 })(text(`Action items completed (${input.completed.length})`)),
    ...doneTable,
    ...restrictedNote(input.restricted?.completed ?? 0, 'restricted action item', 'completed'),
    p(em(text('Written by Postmortem Follow-Through every week. Watch this space to get the next one.'))),
  );
}
