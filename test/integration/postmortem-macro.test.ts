/**
 * The postmortem macro's backend through the local site: stored with the page as the user, optimistic
 * concurrency with a three-way merge, server-side permission checks, the app index, and the ADF export.
 */
import { validator } from '@atlaskit/adf-utils/validator';
import type { Postmortem } from '../../src/contract/postmortem';
import { useLocalSite } from './support/site';
import { macroDriver, value } from '../support/ui-driver';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';
import { ENG_SPACE_ID, ONCALL_PAGE_ID, SECOPS_SPACE_ID } from '../../local-site/confluence/seed';

const site = useLocalSite();
const LOCAL_ID = 'c0ffee00-0000-4000-8000-000000000001';

const call = macroDriver(site, LOCAL_ID, ONCALL_PAGE_ID);
const load = (accountId: string) => call(accountId, 'loadPostmortem');
const save = (accountId: string, postmortem: Postmortem, base: Postmortem | null, baseVersion: number) =>
  call(accountId, 'savePostmortem', { postmortem, base, baseVersion });

it('starts a new draft, saves it with the page, and reads it back', async () => {
  const first = value(await load(EDITOR_ID));
  expect(first.version).toBe(0);
  expect(first.canEdit).toBe(true);
  expect(first.postmortem).toMatchObject({ status: 'draft', actionItemProjectKey: 'OPS', actionItems: [] });
  expect(first.postmortem.whatFailed.map((w) => w.category)).toEqual(['detection', 'escalation', 'resilience', 'documentation']);

  const edited = { ...first.postmortem, summary: 'Checkout latency spiked for 40 minutes.' };
  const saved = value(await save(EDITOR_ID, edited, first.postmortem, 0));
  expect(saved).toMatchObject({ kind: 'saved', version: 1, merged: false });

  const again = value(await load(VIEWER_ID));
  expect(again).toMatchObject({ version: 1, canEdit: false, postmortem: { summary: 'Checkout latency spiked for 40 minutes.' } });
  // Stored as a page property of that page, keyed by the macro's localId.
  expect(site().state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!.properties.map((p) => p.key)).toContain(`pft-postmortem-${LOCAL_ID}`);
});

it('registers the postmortem in the app index with its action-item counts', async () => {
  const { postmortem } = value(await load(EDITOR_ID));
  const item = { id: 'a1', title: 'Alert on p99 latency', description: '', owner: null, effort: 'low' as const, impact: 'high' as const, dueDate: null, state: 'accepted' as const };
  value(await save(EDITOR_ID, { ...postmortem, incidentKey: 'INC-1', actionItems: [item, { ...item, id: 'a2', state: 'proposed' }] }, postmortem, 0));
  const entity = site().state.platform.kvs.entities.postmortem?.[`${ONCALL_PAGE_ID}:${LOCAL_ID}`]?.value;
  expect(entity).toMatchObject({ pageId: ONCALL_PAGE_ID, spaceKey: 'ENG', incidentKey: 'INC-1', status: 'draft', accepted: 1, proposed: 1, dropped: 0 });
});

it('looks up the space key for the index once per space: a later save reuses it, a page in another space looks it up again', async () => {
  const s = site();
  const spaceLookups = () => s.log.entries.filter((e) => e.endpoint === '/wiki/api/v2/spaces/{id}').length;
  const entity = () => s.state.platform.kvs.entities.postmortem?.[`${ONCALL_PAGE_ID}:${LOCAL_ID}`]?.value;
  const first = value(await load(EDITOR_ID));
  value(await save(EDITOR_ID, { ...first.postmortem, summary: 'One' }, first.postmortem, 0));
  expect(spaceLookups()).toBe(1);
  expect(entity()).toMatchObject({ spaceKey: 'ENG', spaceId: ENG_SPACE_ID });

  const second = value(await load(EDITOR_ID));
  value(await save(EDITOR_ID, { ...second.postmortem, summary: 'Two' }, second.postmortem, second.version));
  expect(spaceLookups()).toBe(1);

  // Moved to another space (as Confluence's *Move* does): the entry follows it.
  s.state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!.spaceId = SECOPS_SPACE_ID;
  const third = value(await load(ADMIN_ID));
  value(await save(ADMIN_ID, { ...third.postmortem, summary: 'Three' }, third.postmortem, third.version));
  expect(spaceLookups()).toBe(2);
  expect(entity()).toMatchObject({ spaceKey: 'SECOPS', spaceId: SECOPS_SPACE_ID });
});

it('merges non-overlapping edits from two people and stores both', async () => {
  const a = value(await load(ADMIN_ID));
  const b = value(await load(EDITOR_ID));
  value(await save(ADMIN_ID, { ...a.postmortem, summary: 'Summary by Avery' }, a.postmortem, a.version));
  const out = value(await save(EDITOR_ID, { ...b.postmortem, impact: 'Impact by Eden' }, b.postmortem, b.version));
  expect(out).toMatchObject({ kind: 'saved', version: 2, merged: true, postmortem: { summary: 'Summary by Avery', impact: 'Impact by Eden' } });
  expect(value(await load(VIEWER_ID)).postmortem).toMatchObject({ summary: 'Summary by Avery', impact: 'Impact by Eden' });
});

it('hands a real clash back to the person, storing nothing, until they choose', async () => {
  const a = value(await load(ADMIN_ID));
  const b = value(await load(EDITOR_ID));
  value(await save(ADMIN_ID, { ...a.postmortem, rootCause: 'Connection pool exhausted' }, a.postmortem, a.version));
  const clash = value(await save(EDITOR_ID, { ...b.postmortem, rootCause: 'A retry storm from the mobile client' }, b.postmortem, b.version));
  expect(clash).toMatchObject({ kind: 'conflict', theirsVersion: 1, conflicts: ['rootCause'], theirs: { rootCause: 'Connection pool exhausted' } });
  expect(value(await load(VIEWER_ID)).postmortem.rootCause).toBe('Connection pool exhausted');
  if (clash.kind !== 'conflict') return;
  // Eden keeps both texts and saves on top of Avery's version.
  const chosen = { ...clash.merged, rootCause: 'Connection pool exhausted, driven by a retry storm from the mobile client' };
  expect(value(await save(EDITOR_ID, chosen, clash.theirs, clash.theirsVersion))).toMatchObject({ kind: 'saved', version: 2 });
});

it('refuses the viewer on the server, and bad input, changing nothing', async () => {
  const { postmortem } = value(await load(VIEWER_ID));
  expect(await save(VIEWER_ID, { ...postmortem, summary: 'x' }, postmortem, 0)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const tooLong = await save(EDITOR_ID, { ...postmortem, title: 'x'.repeat(300) }, postmortem, 0);
  expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { title: expect.any(String) } } });
  const jump = await save(EDITOR_ID, { ...postmortem, status: 'published' }, postmortem, 0);
  expect(jump).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { status: expect.any(String) } } });
  // Payloads the contract forbids: sent as a hostile iframe would, past the typed driver.
  expect(await site().invokeUi('pft-postmortem', { functionKey: 'savePostmortem', payload: { postmortem: 'nope', base: null, baseVersion: 0 } }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(await macroDriver(site, '../../etc', ONCALL_PAGE_ID)(EDITOR_ID, 'loadPostmortem')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(site().state.confluence.pages.find((p) => p.id === ONCALL_PAGE_ID)!.properties).toEqual([]);
  expect(site().state.platform.kvs.entities.postmortem ?? {}).toEqual({});
});

it('exports the whole postmortem as valid ADF for PDF and Word', async () => {
  const { postmortem } = value(await load(EDITOR_ID));
  const full: Postmortem = {
    ...postmortem,
    title: 'Checkout latency',
    summary: 'Checkout was slow.',
    timeline: [
      { id: 't1', at: '2026-11-20T10:00:00.000Z', kind: 'initial-failure', text: 'Deploy 42 went out' },
      { id: 't2', at: '2026-11-20T10:05:00.000Z', kind: 'detection', text: 'Alert fired', author: 'alice' },
      { id: 't3', at: '2026-11-20T10:40:00.000Z', kind: 'resolution', text: 'Rolled back' },
    ],
    fiveWhys: ['Pool exhausted', 'Retries'],
    actionItems: [{ id: 'a1', title: 'Canary deploys', description: '', owner: { kind: 'team', id: 'Payments', displayName: 'Payments' }, effort: 'medium', impact: 'high', dueDate: '2026-12-01', state: 'accepted' }],
  };
  value(await save(EDITOR_ID, full, postmortem, 0));
  const adf = (await site().exportMacro('pft-postmortem', { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } })) as { type: string; content: unknown[] };
  const problems: string[] = [];
  validator()(adf as never, (e) => {
    problems.push(`${e.code}: ${e.message}`);
    return undefined;
  });
  expect(problems).toEqual([]);
  const textOf = JSON.stringify(adf);
  for (const expected of ['Checkout latency', 'Checkout was slow.', 'Time to detect: ', '5 min', 'Five whys', 'Canary deploys', 'Payments (team)']) expect(textOf).toContain(expected);
});
