/**
 * The publish email through a mail server that requires a login: the SMTP user name is a setting, the password
 * a Forge storage secret that only the backend reads (at send time) and no response or audit entry carries.
 * The site's SMTP catcher is configured with the login, so it advertises AUTH, answers a wrong one with 535
 * and mail without one with 530, as real servers do.
 */
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { useLocalSite } from './support/site';
import { uiDriver } from '../support/ui-driver';
import { SmtpCatcher } from '../../local-site/platform/mail';
import { emailToCatcher, macroCall, reviewedPostmortem, saveSettings, value } from './support/publishing';
import { ADMIN_ID, EDITOR_ID, VIEWER_ID } from '../../local-site/state/users';

const LOGIN = { user: 'postmortems@example.com', pass: 'Tr0ub4dor&3 pft-smtp-secret' };
const WRONG = 'wr0ng-pft-smtp-secret';
const site = useLocalSite({ smtpAuth: LOGIN });
const LOCAL_ID = 'b0b0b0b0-0000-4000-8000-0000000000a1';
const call = macroCall(site, LOCAL_ID);
const publish = () => call(EDITOR_ID, 'publishPostmortem');
const settingsCall = uiDriver(site, 'pft-settings');

const secrets = () => site().state.platform.kvs.secrets;
/** What reached the site's SMTP catcher (Jira's own notifications are in the same inbox, from Jira). */
const inbox = () => site().state.platform.outbox.filter((m) => !m.from?.startsWith('Jira'));
/** Everything the app stored outside the secrets: settings, audit entries, publish runs, leases. */
const storedInTheClear = () => JSON.stringify([site().state.platform.kvs.values, site().state.platform.kvs.entities]);
const smtpSettings = async () => {
  const { port } = await site().startMailCatcher();
  return { publishEmailRecipients: ['eng@example.com'], smtpHost: '127.0.0.1', smtpPort: port, emailFrom: 'postmortems@example.com' };
};

it('emails the summary through a server that requires a login, the password read from Forge storage secrets', async () => {
  const saved = await emailToCatcher(site, ['eng@example.com'], LOGIN);
  expect(saved).toMatchObject({ settings: { smtpUser: LOGIN.user }, smtpPasswordSet: true, lastChange: { summary: expect.stringContaining('smtpPassword (set)') } });
  // The password is a secret, nowhere else.
  expect(Object.values(secrets()).map((r) => r.value)).toEqual([LOGIN.pass]);
  expect(storedInTheClear()).not.toContain(LOGIN.pass);

  await reviewedPostmortem(call);
  const out = value(await publish());
  expect(out.run.steps.find((s) => s.step === 'email')).toEqual({ step: 'email', state: 'done', detail: 'Emailed eng@example.com (experimental SMTP)' });
  expect(inbox()).toHaveLength(1);
  expect(inbox()[0]).toMatchObject({ to: ['eng@example.com'], subject: '[Postmortem SEV2] Checkout latency' });
  expect(site().mail.logins).toEqual([{ user: LOGIN.user, ok: true, mechanism: 'PLAIN' }]);
});

it('without a login configured the server refuses the mail and the publisher is told why; publishing still finishes', async () => {
  await emailToCatcher(site); // no user name: the app sends no AUTH, the server answers MAIL FROM with 530
  await reviewedPostmortem(call);
  const out = value(await publish());
  expect(out.run.done).toBe(true);
  expect(out.run.steps.find((s) => s.step === 'email')).toEqual({
    step: 'email',
    state: 'failed',
    detail: expect.stringContaining('the mail server requires a login; a Jira administrator can set the SMTP user name and password in the app settings'),
  });
  expect(inbox()).toHaveLength(0);
});

it('a wrong password fails the email step in plain words; publishing finishes without it; fixed, the next postmortem is emailed', async () => {
  await emailToCatcher(site, ['eng@example.com'], { user: LOGIN.user, pass: WRONG });
  await reviewedPostmortem(call);

  const out = value(await publish());
  expect(out.run.done).toBe(true);
  expect(out.run.steps.map((s) => `${s.step}:${s.state}`)).toEqual(['status:done', 'labels:done', 'comment:done', 'notify:done', 'digest:done', 'email:failed']);
  expect(out.run.steps.find((s) => s.step === 'email')!.detail).toBe(
    'The experimental SMTP email was not sent: the mail server did not accept the SMTP user name and password in the app settings; a Jira administrator can correct them',
  );
  expect(inbox()).toHaveLength(0);
  expect(site().mail.logins).toEqual([{ user: LOGIN.user, ok: false, mechanism: 'PLAIN' }]);
  expect(value(await call(EDITOR_ID, 'getPublishState'))).toMatchObject({ canPublish: false, reason: 'Published.' });

  // The admin types the right password; nothing else changes, and the wrong one is gone from storage.
  const before = value(await settingsCall(ADMIN_ID, 'getSettings')).settings;
  const fixed = await saveSettings(site, before, { set: LOGIN.pass });
  expect(fixed).toMatchObject({ smtpPasswordSet: true, lastChange: { summary: 'Changed smtpPassword (set)' } });
  expect(Object.values(secrets()).map((r) => r.value)).toEqual([LOGIN.pass]);

  // The next postmortem published is emailed, once.
  const other = macroCall(site, 'b0b0b0b0-0000-4000-8000-0000000000a2');
  await reviewedPostmortem(other);
  expect(value(await other(EDITOR_ID, 'publishPostmortem'))).toMatchObject({ run: { done: true } });
  expect(value(await other(EDITOR_ID, 'publishPostmortem'))).toMatchObject({ alreadyPublished: true });
  expect(inbox()).toHaveLength(1);
  expect(site().mail.logins.map((l) => l.ok)).toEqual([false, true]);
});

it('the password never appears in a resolver response, the audit trail or what the app stores in the clear', async () => {
  const responses: unknown[] = [];
  const keep = async <T,>(r: Promise<T>) => {
    const out = await r;
    responses.push(out);
    return out;
  };
  const smtp = await smtpSettings();
  const settings = { ...DEFAULT_SETTINGS, ...smtp, experimentalSmtpEmail: true, smtpUser: LOGIN.user };
  await keep(settingsCall(ADMIN_ID, 'saveSettings', { settings, smtpPassword: { set: WRONG } }));
  await keep(settingsCall(ADMIN_ID, 'saveSettings', { settings, smtpPassword: { set: LOGIN.pass } }));
  // Refused saves that carry a password: another bad field, a non-admin.
  const refused = await keep(settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...settings, smtpPort: 0 }, smtpPassword: { set: `${LOGIN.pass}\n` } }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { smtpPort: expect.any(String), smtpPassword: 'The SMTP password cannot contain control characters (such as line breaks).' } } });
  await keep(settingsCall(VIEWER_ID, 'saveSettings', { settings, smtpPassword: { set: LOGIN.pass } }));
  // Saving with the password field left empty keeps it.
  const kept = await keep(settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...settings, staleAfterDays: 9 } }));
  expect(kept).toMatchObject({ ok: true, value: { smtpPasswordSet: true, lastChange: { summary: 'Changed staleAfterDays' } } });
  for (const who of [ADMIN_ID, EDITOR_ID, VIEWER_ID]) {
    expect(await keep(settingsCall(who, 'getSettings'))).toMatchObject({ ok: true, value: { settings: { smtpUser: LOGIN.user }, smtpPasswordSet: true } });
  }
  await reviewedPostmortem(call);
  await keep(call(EDITOR_ID, 'getPublishState'));
  expect(value(await keep(publish()))).toMatchObject({ run: { done: true } });
  expect(inbox()).toHaveLength(1);

  const audit = Object.values(site().state.platform.kvs.entities['settings-change'] ?? {}).map((r) => r.value as { summary: string });
  expect(audit.map((a) => a.summary).sort()).toEqual(['Changed experimentalSmtpEmail, publishEmailRecipients, smtpHost, smtpPort, emailFrom, smtpUser, smtpPassword (set)', 'Changed smtpPassword (set)', 'Changed staleAfterDays']);
  for (const secret of [LOGIN.pass, WRONG]) {
    expect(JSON.stringify(responses)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(storedInTheClear()).not.toContain(secret);
    expect(JSON.stringify(site().log.entries)).not.toContain(secret);
    expect(JSON.stringify(inbox())).not.toContain(secret);
  }
  expect(Object.values(secrets()).map((r) => r.value)).toEqual([LOGIN.pass]);
});

it('only a Jira administrator sets or clears the password; a refused save leaves the stored one as it was', async () => {
  await emailToCatcher(site, ['eng@example.com'], LOGIN);
  const current = value(await settingsCall(ADMIN_ID, 'getSettings')).settings;
  const storedBefore = JSON.stringify(site().state.platform.kvs);
  for (const who of [EDITOR_ID, VIEWER_ID]) {
    expect(await settingsCall(who, 'saveSettings', { settings: current, smtpPassword: { set: WRONG } })).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only Jira administrators can change these settings.' } });
    expect(await settingsCall(who, 'saveSettings', { settings: { ...current, smtpUser: '' }, smtpPassword: { clear: true } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  }
  // An administrator's save that is refused for another field stores no new password either.
  expect(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...current, emailFrom: 'nobody' }, smtpPassword: { set: WRONG } })).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { emailFrom: expect.any(String) } } });
  // Half a login is a field error.
  expect(await settingsCall(ADMIN_ID, 'saveSettings', { settings: current, smtpPassword: { clear: true } })).toEqual({
    ok: false,
    error: { code: 'invalid-input', message: 'Some settings need fixing; nothing was saved.', fieldErrors: { smtpPassword: 'An SMTP user name needs its password: type the password, or remove the user name.' } },
  });
  expect(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...current, smtpUser: '' } })).toMatchObject({
    ok: false,
    error: { code: 'invalid-input', fieldErrors: { smtpUser: 'The stored SMTP password needs its user name: give the user name, or clear the password.' } },
  });
  expect(JSON.stringify(site().state.platform.kvs)).toBe(storedBefore);

  // The administrator clears the login: user name and password go together, and the secret is deleted.
  const cleared = await saveSettings(site, { ...current, smtpUser: '' }, { clear: true });
  expect(cleared).toMatchObject({ settings: { smtpUser: '' }, smtpPasswordSet: false, lastChange: { summary: 'Changed smtpUser, smtpPassword (cleared)' } });
  expect(secrets()).toEqual({});
});

it('a user name with no password stored is refused, and nothing is stored', async () => {
  const smtp = await smtpSettings();
  expect(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...DEFAULT_SETTINGS, ...smtp, smtpUser: LOGIN.user } })).toMatchObject({
    ok: false,
    error: { code: 'invalid-input', fieldErrors: { smtpPassword: 'An SMTP user name needs its password: type the password, or remove the user name.' } },
  });
  expect(site().state.platform.kvs.values).toEqual({});
  expect(secrets()).toEqual({});
});

it('issue 12 (7): changing only the SMTP host or port clears the stored password, so it never reaches the new server', async () => {
  await emailToCatcher(site, ['eng@example.com'], LOGIN);
  // A server someone else runs, which would accept the login and so show whether the password reached it.
  const rogue = new SmtpCatcher(() => undefined, { auth: LOGIN });
  const { port: roguePort } = await rogue.listen(0);
  try {
    const base = { ...DEFAULT_SETTINGS, ...(await smtpSettings()), experimentalSmtpEmail: true, smtpUser: LOGIN.user };
    // The port alone changes (no password typed): the stored one is cleared, and the page said it would be.
    const moved = value(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...base, smtpPort: roguePort } }));
    expect(moved).toMatchObject({ smtpPasswordSet: false, lastChange: { summary: expect.stringContaining('smtpPassword (cleared)') } });
    expect(secrets()).toEqual({});

    await reviewedPostmortem(call);
    // Publishing finishes (the experimental email never stops it); the email step says why it failed.
    const out = value(await publish());
    expect(out.run.done).toBe(true);
    expect(out.run.steps.find((x) => x.step === 'email')).toMatchObject({ state: 'failed', detail: expect.stringContaining(`no SMTP password is stored for the user name ${LOGIN.user}`) });
    expect(rogue.logins).toEqual([]);

    // The host alone changes back with a new password typed in the same save: that password is kept.
    const back = value(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...base, smtpHost: 'localhost' }, smtpPassword: { set: LOGIN.pass } }));
    expect(back.smtpPasswordSet).toBe(true);
    // Unchanged host and port keep it.
    expect(value(await settingsCall(ADMIN_ID, 'saveSettings', { settings: { ...base, smtpHost: 'localhost', staleAfterDays: 3 } })).smtpPasswordSet).toBe(true);
  } finally {
    rogue.close();
  }
});
