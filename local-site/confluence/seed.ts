/**
 * The seeded Confluence: an Engineering space everyone can read (the editor may write) and a
 * Security Operations space the viewer cannot see. Ids are numeric strings, as Confluence's are.
 */
import type { ConfluencePage, ConfluenceState } from '../state/types';
import { ADMIN_ID, EDITOR_ID, NEWCOMER_ID, VIEWER_ID } from '../state/users';

// ---------- tiny ADF builders (seed content only) ----------

type AdfNode = Record<string, unknown>;
const text = (t: string, marks?: AdfNode[]): AdfNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const strong = (t: string): AdfNode => text(t, [{ type: 'strong' }]);
const link = (t: string, href: string): AdfNode => text(t, [{ type: 'link', attrs: { href } }]);
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const h = (level: number, t: string): AdfNode => ({ type: 'heading', attrs: { level }, content: [text(t)] });
const li = (...content: AdfNode[]): AdfNode => ({ type: 'listItem', content: [p(...content)] });
const ul = (...items: AdfNode[]): AdfNode => ({ type: 'bulletList', content: items });
const ol = (...items: AdfNode[]): AdfNode => ({ type: 'orderedList', attrs: { order: 1 }, content: items });
const panel = (panelType: 'info' | 'note' | 'warning' | 'success' | 'error', ...content: AdfNode[]): AdfNode => ({
  type: 'panel',
  attrs: { panelType },
  content,
});
const cell = (header: boolean, t: string): AdfNode => ({ type: header ? 'tableHeader' : 'tableCell', attrs: {}, content: [p(text(t))] });
const row = (header: boolean, ...cells: string[]): AdfNode => ({ type: 'tableRow', content: cells.map((c) => cell(header, c)) });
const table = (head: string[], ...rows: string[][]): AdfNode => ({
  type: 'table',
  attrs: { isNumberColumnEnabled: false, layout: 'default' },
  content: [row(true, ...head), ...rows.map((r) => row(false, ...r))],
});
export const adfDoc = (...content: AdfNode[]): AdfNode => ({ type: 'doc', version: 1, content });

// ---------- seed ----------

export const ENG_SPACE_ID = '98305';
export const SECOPS_SPACE_ID = '98306';
export const ENG_HOME_ID = '65537';
export const ONCALL_PAGE_ID = '65538';
export const CATALOGUE_PAGE_ID = '65539';
export const SECOPS_HOME_ID = '65540';
export const SECOPS_RUNBOOK_ID = '65541';

export function seedConfluence(now: Date): ConfluenceState {
  const at = (daysAgo: number): string => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

  const page = (
    id: string,
    spaceId: string,
    parentId: string | null,
    title: string,
    authorId: string,
    createdDaysAgo: number,
    body: AdfNode,
    extra: Partial<ConfluencePage> = {},
  ): ConfluencePage => ({
    id,
    spaceId,
    parentId,
    title,
    status: 'current',
    body,
    authorId,
    createdAt: at(createdDaysAgo),
    version: { number: 1, createdAt: at(createdDaysAgo), authorId, message: '' },
    labels: [],
    properties: [],
    editRestrictedTo: null,
    ...extra,
  });

  const pages: ConfluencePage[] = [
    page(
      ENG_HOME_ID,
      ENG_SPACE_ID,
      null,
      'Engineering Home',
      ADMIN_ID,
      120,
      adfDoc(
        h(1, 'Welcome to Engineering'),
        p(text('This space holds how we build and run our services: runbooks, the service catalogue and our postmortems.')),
        panel('info', p(strong('New here? '), text('Start with the On-call handbook, then find your team in the Service catalogue.'))),
        h(2, 'Useful links'),
        ul(li(link('Status page', 'https://status.example.com')), li(link('Incident channel', 'https://chat.example.com/incidents'))),
      ),
    ),
    page(
      ONCALL_PAGE_ID,
      ENG_SPACE_ID,
      ENG_HOME_ID,
      'On-call handbook',
      EDITOR_ID,
      90,
      adfDoc(
        h(1, 'On-call handbook'),
        p(text('Everything the person holding the pager needs. Rotations hand over every Monday at 10:00 local time.')),
        h(2, 'When you are paged'),
        ol(
          li(text('Acknowledge within 5 minutes.')),
          li(text('Declare an incident in Jira (project INC) if customers are affected.')),
          li(text('Post updates in the incident channel at least every 30 minutes.')),
        ),
        panel('warning', p(strong('Sev 1: '), text('page the incident commander immediately; do not wait for the 5-minute window.'))),
        h(2, 'After the incident'),
        p(text('Every Sev 1 and Sev 2 incident gets a blameless postmortem within 5 business days; its action items are tracked until done.')),
      ),
      {
        version: { number: 3, createdAt: at(14), authorId: ADMIN_ID, message: 'Clarified Sev 1 escalation' },
        labels: [
          { id: '131073', prefix: 'global', name: 'on-call' },
          { id: '131074', prefix: 'global', name: 'runbook' },
        ],
      },
    ),
    page(
      CATALOGUE_PAGE_ID,
      ENG_SPACE_ID,
      ENG_HOME_ID,
      'Service catalogue',
      ADMIN_ID,
      60,
      adfDoc(
        h(1, 'Service catalogue'),
        p(text('Owners and tiers of the services we run. Tier 1 services have a 24/7 rotation.')),
        table(
          ['Service', 'Owner', 'Tier', 'Runbook'],
          ['checkout-api', 'Payments', '1', 'Checkout runbook'],
          ['search', 'Discovery', '2', 'Search runbook'],
          ['notifications', 'Platform', '2', 'Notifications runbook'],
        ),
      ),
      { labels: [{ id: '131075', prefix: 'global', name: 'services' }] },
    ),
    page(
      SECOPS_HOME_ID,
      SECOPS_SPACE_ID,
      null,
      'Security Operations Home',
      ADMIN_ID,
      100,
      adfDoc(h(1, 'Security Operations'), p(text('Restricted: security incident handling, threat models and audit evidence.'))),
    ),
    page(
      SECOPS_RUNBOOK_ID,
      SECOPS_SPACE_ID,
      SECOPS_HOME_ID,
      'Credential leak response',
      ADMIN_ID,
      45,
      adfDoc(
        h(1, 'Credential leak response'),
        ol(li(text('Revoke the credential.')), li(text('Rotate dependent secrets.')), li(text('Search the audit log for use of the credential.'))),
      ),
      { editRestrictedTo: [ADMIN_ID] },
    ),
  ];

  return {
    spaces: [
      {
        id: ENG_SPACE_ID,
        key: 'ENG',
        name: 'Engineering',
        homepageId: ENG_HOME_ID,
        access: { [ADMIN_ID]: 'admin', [EDITOR_ID]: 'write', [VIEWER_ID]: 'read', [NEWCOMER_ID]: 'write' },
      },
      {
        id: SECOPS_SPACE_ID,
        key: 'SECOPS',
        name: 'Security Operations',
        homepageId: SECOPS_HOME_ID,
        access: { [ADMIN_ID]: 'admin', [EDITOR_ID]: 'write' },
      },
    ],
    pages,
    counters: { spaceId: 98306, pageId: 65541, propertyId: 196608, labelId: 131075 },
  };
}
