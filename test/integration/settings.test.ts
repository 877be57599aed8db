/** The settings admin page's resolver, invoked as the site's Custom UI would, through the real SDKs. */
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { uiDriver } from '../support/ui-driver';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';

const site = useLocalSite();
const call = uiDriver(site, 'pft-settings');

it('shows the defaults, editable only by an administrator', async () => {
  expect(await call(ADMIN_ID, 'getSettings')).toEqual({ ok: true, value: { settings: DEFAULT_SETTINGS, canEdit: true, smtpPasswordSet: false } });
  expect(await call(EDITOR_ID, 'getSettings')).toMatchObject({ ok: true, value: { canEdit: false } });
});

it('saves valid settings with an audit line', async () => {
  const saved = await call(ADMIN_ID, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, staleAfterDays: 10, holidays: ['2026-12-25'] } });
  expect(saved).toMatchObject({ ok: true, value: { settings: { staleAfterDays: 10, holidays: ['2026-12-25'] }, lastChange: { accountId: ADMIN_ID, summary: 'Changed staleAfterDays, holidays' } } });
  expect(await call(EDITOR_ID, 'getSettings')).toMatchObject({ ok: true, value: { settings: { staleAfterDays: 10 } } });
});

it('refuses a non-administrator on the server, changing nothing', async () => {
  const out = await call(EDITOR_ID, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, staleAfterDays: 2 } });
  expect(out).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only Jira administrators can change these settings.' } });
  expect(site().state.platform.kvs.values).toEqual({});
});

it('names each bad field, asking Jira about projects and JQL, and stores nothing', async () => {
  const out = await call(ADMIN_ID, 'saveSettings', {
    settings: { ...DEFAULT_SETTINGS, actionItemProjectKey: 'NOPE', incidentJql: 'issuetype = = Incident', projectsInScope: ['OPS', 'ZZZ'] },
  });
  expect(out.ok).toBe(false);
  if (out.ok) return;
  expect(out.error.code).toBe('invalid-input');
  expect(out.error.fieldErrors).toEqual({
    actionItemProjectKey: 'There is no Jira project NOPE that you can see.',
    incidentJql: expect.stringMatching(/^Jira does not accept this JQL: Error in the JQL Query/),
    'projectsInScope.1': 'There is no Jira project ZZZ that you can see.',
  });
  const typeOut = await call(ADMIN_ID, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, actionItemIssueType: 'Incident' } });
  expect(typeOut).toMatchObject({ ok: false, error: { fieldErrors: { actionItemIssueType: expect.stringMatching(/^OPS has no issue type "Incident"/) } } });
  // Not what the contract allows: sent past the typed driver, as a hostile iframe would.
  const garbage = await site().invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: 'drop table' } }, { accountId: ADMIN_ID });
  expect(garbage).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  expect(site().state.platform.kvs.values).toEqual({});
});
