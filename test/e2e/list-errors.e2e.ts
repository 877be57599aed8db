/**
 * Issue 12 (9): errors on list fields show where the user can fix them, and a paste that would pass a limit is
 * refused before it is applied. As a person sees it: a 600-line chat paste, and a document whose lists a
 * script wrote past the limits through Confluence's REST API (page properties are editable by page editors).
 */
import type { FrameLocator, Page } from 'playwright-core';
import type { LoadedPostmortem } from '../../src/contract/postmortem-macro';
import type { Result } from '../../src/contract/result';
import { EDITOR_ID } from '../../local-site/state/users';
import { CATALOGUE_PAGE_ID, ENG_HOME_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';
import { restAs, accepted } from '../integration/support/attacker';

const env = useBrowserSite();
jest.setTimeout(90_000);

const macro = (page: Page): FrameLocator => page.frameLocator('iframe.forge-frame');
const waitSaved = (app: FrameLocator) => app.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();

it('a 600-line chat paste is refused with the limit, nothing is added, and autosave goes on working', async () => {
  const { site } = env();
  const localId = 'e2e00000-0000-4000-8000-000000000901';
  site.placeMacro(ENG_HOME_ID, 'pft-postmortem', localId, 'Postmortem');
  const tab = await env().pageAs(EDITOR_ID);
  await tab.goto(`/wiki/pages/${ENG_HOME_ID}`);
  const app = macro(tab);
  await app.getByLabel('Summary', { exact: true }).waitFor();
  const chat = Array.from({ length: 600 }, (_, i) => `${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} bob: step ${i + 1}`).join('\n');
  await app.getByLabel('Paste chat log', { exact: true }).fill(chat);
  await app.getByRole('button', { name: 'Add chat lines to timeline' }).click();
  await app.getByText('A timeline holds at most 500 entries; this would make 600 (it has 0, so at most 500 more). Nothing was added. Paste fewer lines.').waitFor();
  expect(await app.getByLabel('Text of entry 1').count()).toBe(0);
  // The pasted text is kept, to cut down.
  expect((await app.getByLabel('Paste chat log', { exact: true }).inputValue()).split('\n')).toHaveLength(600);
  await app.getByLabel('Summary', { exact: true }).fill('Later edits still save.');
  await waitSaved(app);
});

it('errors on the timeline, action items, tags and attendees are shown at those lists', async () => {
  const { site } = env();
  const localId = 'e2e00000-0000-4000-8000-000000000902';
  site.placeMacro(CATALOGUE_PAGE_ID, 'pft-postmortem', localId, 'Postmortem');
  const loaded = (await site.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: EDITOR_ID, localId, extension: { content: { id: CATALOGUE_PAGE_ID, type: 'page' } } })) as Result<LoadedPostmortem>;
  if (!loaded.ok) throw new Error(loaded.error.message);
  // A script with Eden's rights writes the macro's page property directly: each list with something a save refuses.
  const doc = {
    ...loaded.value.postmortem,
    title: 'Listed wrongly',
    timeline: Array.from({ length: 501 }, (_, i) => ({ id: `t${i}`, at: null, kind: 'note', text: 'n' })),
    actionItems: [{ id: 'fix-"🔥"', title: 'Rotate keys', description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'proposed' }],
    tags: ['ok', 'x'.repeat(60)],
    attendees: [{ kind: 'user', id: 'ann@example.com', displayName: 'Ann' }, { kind: 'user', id: `${'b'.repeat(300)}@example.com`, displayName: 'Bea' }],
  };
  accepted(await restAs(site, 'confluence', EDITOR_ID, 'POST', `/wiki/api/v2/pages/${CATALOGUE_PAGE_ID}/properties`, { key: `pft-postmortem-${localId}`, value: doc }));

  const tab = await env().pageAs(EDITOR_ID);
  await tab.goto(`/wiki/pages/${CATALOGUE_PAGE_ID}`);
  const app = macro(tab);
  await app.getByLabel('Summary', { exact: true }).fill('An edit triggers the save.');
  await app.getByText('Fix the highlighted fields; your text is kept.').waitFor();
  await app.locator('[data-field=timeline]').getByText('A timeline holds at most 500 entries.').waitFor();
  await app.locator('[data-field=actionItems]').getByText(/^Action item 1 \(Rotate keys\): An action item id is 1–64 letters/).waitFor();
  await app.locator('[data-field=attendees]').getByText(/^Attendee 2 \(Bea <b+@example.com>\): /).waitFor();
  await app.getByText(`Tag "${'x'.repeat(60)}": Tags are at most 50 characters.`).waitFor();
});
