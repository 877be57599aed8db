import { DEFAULT_SETTINGS, describeChange, SMTP_PASSWORD_MAX, validateSettings, validateSettingsSave, withDefaults } from './settings';

describe('settings validation', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(DEFAULT_SETTINGS)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
  });

  it('reports each bad field with a message a person can act on', () => {
    const result = validateSettings({
      ...DEFAULT_SETTINGS,
      staleAfterDays: 0,
      followUpIntervalDays: 2.5,
      timeZone: 'Mars/Olympus',
      holidays: ['2026-02-30'],
      actionItemProjectKey: 'ops',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual({
      staleAfterDays: 'Stale after must be at least 1.',
      followUpIntervalDays: 'Follow-up interval must be a whole number of days.',
      timeZone: 'Unknown time zone: use an IANA name such as Europe/Berlin.',
      'holidays.0': 'Holidays are dates written YYYY-MM-DD.',
      actionItemProjectKey: 'Use a Jira project key such as OPS (capital letters, 2–10 characters).',
    });
  });

  it('rejects unknown keys and a rule that flags nothing as unprioritized', () => {
    const extra = validateSettings({ ...DEFAULT_SETTINGS, surprise: true });
    expect(extra.ok).toBe(false);
    const none = validateSettings({ ...DEFAULT_SETTINGS, unprioritized: { whenPriorityEmpty: false, whenDefaultPriority: false, onlyWithoutDueDate: true } });
    expect(none).toEqual({ ok: false, fieldErrors: { unprioritized: 'Pick at least one way an item counts as unprioritized.' } });
  });

  it('refuses incident JQL with its own ORDER BY', () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, incidentJql: 'issuetype = Incident order  by created' })).toEqual({ ok: false, fieldErrors: { incidentJql: 'Leave out ORDER BY: the app adds its own conditions and order.' } });
  });

  it('normalises holidays and project lists', () => {
    const result = validateSettings({ ...DEFAULT_SETTINGS, holidays: ['2026-12-25', '2026-01-01', '2026-12-25'], projectsInScope: ['OPS', 'OPS', 'SEC'] });
    expect(result).toMatchObject({ ok: true, settings: { holidays: ['2026-01-01', '2026-12-25'], projectsInScope: ['OPS', 'SEC'] } });
  });

  it('fills settings added later with their defaults and describes changes', () => {
    const merged = withDefaults({ staleAfterDays: 7, unprioritized: { whenPriorityEmpty: false } as never });
    expect(merged.staleAfterDays).toBe(7);
    expect(merged.unprioritized).toEqual({ whenPriorityEmpty: false, whenDefaultPriority: true, onlyWithoutDueDate: true });
    expect(describeChange(DEFAULT_SETTINGS, merged)).toBe('Changed staleAfterDays, unprioritized');
    expect(describeChange(DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toBe('Saved without changes');
  });
});

describe('publishing settings', () => {
  it('validates recipients, the SMTP server and the sender, naming each bad field', () => {
    const result = validateSettings({ ...DEFAULT_SETTINGS, publishEmailRecipients: ['eng@example.com', 'not an address'], smtpHost: 'smtp example', smtpPort: 70000, emailFrom: 'nobody' });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        'publishEmailRecipients.1': 'Each recipient must be an email address such as eng@example.com.',
        smtpHost: 'Use a host name such as smtp.example.com.',
        smtpPort: 'The SMTP port must be between 1 and 65535.',
        emailFrom: 'The sender must be an email address such as postmortems@example.com.',
      },
    });
  });

  it('needs a server and a sender once there are recipients, and normalises the list', () => {
    expect(validateSettings({ ...DEFAULT_SETTINGS, publishEmailRecipients: ['eng@example.com'] })).toEqual({
      ok: false,
      fieldErrors: { smtpHost: 'Name the SMTP server the email goes through, or remove the recipients.', emailFrom: 'Give the sender address, or remove the recipients.' },
    });
    const ok = validateSettings({ ...DEFAULT_SETTINGS, publishEmailRecipients: ['Eng@Example.com', 'eng@example.com'], smtpHost: 'localhost', smtpPort: 2525, emailFrom: 'postmortems@example.com' });
    expect(ok).toMatchObject({ ok: true, settings: { publishEmailRecipients: ['eng@example.com'], smtpHost: 'localhost', smtpPort: 2525 } });
    expect(validateSettings({ ...DEFAULT_SETTINGS, digestSpaceKey: 'no spaces' })).toEqual({ ok: false, fieldErrors: { digestSpaceKey: 'Use a Confluence space key such as ENG.' } });
  });
});

describe('the SMTP login', () => {
  const withUser = (smtpUser: string) => ({ ...DEFAULT_SETTINGS, smtpUser });

  it('takes a user name with a new password, or with the stored one; leaving the password out keeps it', () => {
    expect(validateSettingsSave({ settings: withUser('  mailer@example.com '), smtpPassword: { set: ' s3cret pass ' } }, false)).toEqual({
      ok: true,
      settings: withUser('mailer@example.com'),
      smtpPassword: { set: ' s3cret pass ' }, // a password is taken as typed, spaces and all
    });
    expect(validateSettingsSave({ settings: withUser('mailer') }, true)).toEqual({ ok: true, settings: withUser('mailer') });
    expect(validateSettingsSave({ settings: DEFAULT_SETTINGS }, false)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    expect(validateSettingsSave({ settings: DEFAULT_SETTINGS, smtpPassword: { clear: true } }, true)).toEqual({ ok: true, settings: DEFAULT_SETTINGS, smtpPassword: { clear: true } });
  });

  it('refuses one half of a login without the other, naming the missing field', () => {
    expect(validateSettingsSave({ settings: withUser('mailer') }, false)).toEqual({ ok: false, fieldErrors: { smtpPassword: 'An SMTP user name needs its password: type the password, or remove the user name.' } });
    expect(validateSettingsSave({ settings: withUser('mailer'), smtpPassword: { clear: true } }, true)).toEqual({ ok: false, fieldErrors: { smtpPassword: 'An SMTP user name needs its password: type the password, or remove the user name.' } });
    expect(validateSettingsSave({ settings: DEFAULT_SETTINGS, smtpPassword: { set: 'pw' } }, false)).toEqual({ ok: false, fieldErrors: { smtpUser: 'An SMTP password needs its user name: give the user name, or leave the password empty.' } });
    expect(validateSettingsSave({ settings: withUser('   ') }, true)).toEqual({ ok: false, fieldErrors: { smtpUser: 'The stored SMTP password needs its user name: give the user name, or clear the password.' } });
  });

  it('refuses a malformed user name or password without repeating the password', () => {
    expect(validateSettingsSave({ settings: withUser('a\r\nMAIL FROM:<x@y>'), smtpPassword: { set: 'pw' } }, false)).toEqual({ ok: false, fieldErrors: { smtpUser: 'The SMTP user name cannot contain control characters (such as line breaks).' } });
    expect(validateSettingsSave({ settings: withUser('u'.repeat(255)), smtpPassword: { set: 'pw' } }, false)).toEqual({ ok: false, fieldErrors: { smtpUser: 'The SMTP user name is too long (at most 254 characters).' } });
    expect(validateSettingsSave({ settings: withUser(42 as never), smtpPassword: { set: 'pw' } }, false)).toEqual({ ok: false, fieldErrors: { smtpUser: 'The SMTP user name must be text.' } });
    const bad: [unknown, string][] = [
      [{ set: '' }, 'The new SMTP password is empty: type it, or leave the field empty to keep the stored one.'],
      [{ set: 'pa\u0000ss' }, 'The SMTP password cannot contain control characters (such as line breaks).'],
      [{ set: 'x'.repeat(SMTP_PASSWORD_MAX + 1) }, `The SMTP password is too long (at most ${SMTP_PASSWORD_MAX} characters).`],
      [{ set: 42 }, 'Set a new SMTP password, clear the stored one, or leave it out to keep it.'],
      [{ clear: false }, 'Set a new SMTP password, clear the stored one, or leave it out to keep it.'],
      [{ set: 'pw', clear: true }, 'Set a new SMTP password, clear the stored one, or leave it out to keep it.'],
      ['pw', 'Set a new SMTP password, clear the stored one, or leave it out to keep it.'],
      [null, 'Set a new SMTP password, clear the stored one, or leave it out to keep it.'],
    ];
    for (const [smtpPassword, message] of bad) {
      const out = validateSettingsSave({ settings: withUser('mailer'), smtpPassword }, true);
      expect(out).toEqual({ ok: false, fieldErrors: { smtpPassword: message } });
      expect(JSON.stringify(out)).not.toContain('pa\u0000ss');
    }
    expect(validateSettingsSave({ settings: withUser('mailer'), smtpPassword: { set: 'x'.repeat(SMTP_PASSWORD_MAX) } }, false).ok).toBe(true);
  });

  it('reports the password with the other bad fields, and refuses a payload that is not an object', () => {
    expect(validateSettingsSave({ settings: { ...DEFAULT_SETTINGS, smtpPort: 0 }, smtpPassword: { set: '' } }, false)).toEqual({
      ok: false,
      fieldErrors: { smtpPort: 'The SMTP port must be between 1 and 65535.', smtpPassword: 'The new SMTP password is empty: type it, or leave the field empty to keep the stored one.' },
    });
    expect(validateSettingsSave('drop table', false)).toMatchObject({ ok: false, fieldErrors: { settings: expect.any(String) } });
    expect(validateSettingsSave(undefined, false).ok).toBe(false);
  });

  it('names a password change in the audit line without showing it', () => {
    expect(describeChange(DEFAULT_SETTINGS, withUser('mailer'), 'set')).toBe('Changed smtpUser, smtpPassword (set)');
    expect(describeChange(withUser('mailer'), DEFAULT_SETTINGS, 'cleared')).toBe('Changed smtpUser, smtpPassword (cleared)');
    expect(describeChange(DEFAULT_SETTINGS, DEFAULT_SETTINGS)).toBe('Saved without changes');
  });

  it('gives settings stored before the login existed an empty user name', () => {
    const { smtpUser: _omitted, ...old } = DEFAULT_SETTINGS;
    void _omitted;
    expect(withDefaults(old).smtpUser).toBe('');
  });
});
