import { DEFAULT_SETTINGS, describeChange, validateSettings, withDefaults } from './settings';

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
