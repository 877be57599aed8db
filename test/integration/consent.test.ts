/**
 * Consent ("Allow access"): a user who has not allowed the app to act for them gets NeedsAuthenticationError
 * from every asUser() call (@forge/api, from the proxy's NEEDS_AUTHENTICATION_ERR answer). Every surface
 * lets it through, untried-again, so that the host can show its prompt; once allowed, the surface works.
 */
import type { Result } from '../../src/contract/result';
import type { LoadedPostmortem } from '../../src/contract/postmortem-macro';
import { useLocalSite } from './support/site';
import { NEWCOMER_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import type { LocalSite } from '../../local-site/site';

const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });
const LOCAL_ID = 'c0115e17-0000-4000-8000-000000000001';

/** The first call each surface makes when it opens, with the context its module gets from the product. */
const SURFACES: { label: string; open: (s: LocalSite, accountId: string) => Promise<unknown> }[] = [
  { label: 'postmortem macro', open: (s, a) => s.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: a, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } }) },
  { label: 'index macro', open: (s, a) => s.invokeUi('pft-postmortem-index-macro', { functionKey: 'getIndexPage', payload: {} }, { accountId: a, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } }) },
  { label: 'index page', open: (s, a) => s.invokeUi('pft-postmortem-index', { functionKey: 'getIndexPage', payload: {} }, { accountId: a }) },
  { label: 'incident action', open: (s, a) => s.invokeUi('pft-create-postmortem', { functionKey: 'getIncidentPostmortem', payload: {} }, { accountId: a, extension: { issue: { key: 'INC-1' } } }) },
  { label: 'start-a-postmortem page', open: (s, a) => s.invokeUi('pft-postmortems', { functionKey: 'getIncidentPostmortem', payload: { issueKey: 'INC-1' } }, { accountId: a }) },
  { label: 'report (Confluence)', open: (s, a) => s.invokeUi('pft-follow-through', { functionKey: 'getReportSummary', payload: {} }, { accountId: a }) },
  { label: 'report (Jira project)', open: (s, a) => s.invokeUi('pft-follow-through-project', { functionKey: 'getReportSummary', payload: {} }, { accountId: a, extension: { project: { key: 'OPS' } } }) },
  { label: 'issue panel', open: (s, a) => s.invokeUi('pft-action-item-origin', { functionKey: 'getOrigin' }, { accountId: a, extension: { issue: { key: 'INC-1' } } }) },
  { label: 'settings', open: (s, a) => s.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: a }) },
];

/** Eden (who allowed access long ago) saves a postmortem, so that the index has a row to check. */
async function savedByEden(s: LocalSite): Promise<void> {
  const macro = (functionKey: string, payload?: unknown) =>
    s.invokeUi('pft-postmortem', { functionKey, payload }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } }) as Promise<Result<LoadedPostmortem>>;
  const loaded = await macro('loadPostmortem');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const pm = { ...loaded.value.postmortem, title: 'Checkout outage', summary: 'Checkout failed for 20 minutes.' };
  const saved = await macro('savePostmortem', { postmortem: pm, base: loaded.value.postmortem, baseVersion: loaded.value.version });
  if (!saved.ok) throw new Error(JSON.stringify(saved.error));
}

describe.each(SURFACES)('$label', ({ open }) => {
  it('fails with NeedsAuthenticationError for a user who has not allowed access, asking once; works once allowed', async () => {
    const s = site();
    await savedByEden(s);
    expect(s.hasConsent(NEWCOMER_ID)).toBe(false);
    const refused = await open(s, NEWCOMER_ID).then(
      (r) => ({ answered: r }),
      (e: Error) => e,
    );
    expect(refused).toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', status: 401 });
    // Not retried: no request is refused twice.
    expect(s.consentRefusals.length).toBeGreaterThan(0);
    expect(new Set(s.consentRefusals).size).toBe(s.consentRefusals.length);
    const refusals = s.consentRefusals.length;

    s.allowAccess(NEWCOMER_ID);
    expect(await open(s, NEWCOMER_ID)).toMatchObject({ ok: true });
    expect(s.consentRefusals).toHaveLength(refusals);
  });
});

it('revoking access brings the refusal back; other users are untouched', async () => {
  const s = site();
  const [surface] = SURFACES;
  expect(await surface.open(s, EDITOR_ID)).toMatchObject({ ok: true });
  s.revokeAccess(EDITOR_ID);
  await expect(surface.open(s, EDITOR_ID)).rejects.toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR' });
  s.allowAccess(EDITOR_ID);
  expect(await surface.open(s, EDITOR_ID)).toMatchObject({ ok: true });
});
