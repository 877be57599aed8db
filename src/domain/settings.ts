/** The app's settings: defaults and the validation rules an admin's input must pass. Pure, no I/O. */
import { z } from 'zod';
import type { AppSettings, SmtpPasswordChange } from '../contract/settings';
import { isCalendarDate, isTimeZone } from './time-zone';
import { fieldErrorsOf, PROJECT_KEY } from './validation';

export const DEFAULT_SETTINGS: AppSettings = {
  actionItemProjectKey: 'OPS',
  actionItemIssueType: 'Task',
  staleAfterDays: 14,
  followUpIntervalDays: 14,
  maxFollowUps: 3,
  businessDaysOnly: true,
  timeZone: 'UTC',
  holidays: [],
  unprioritized: { whenPriorityEmpty: true, whenDefaultPriority: true, onlyWithoutDueDate: true },
  priorityByImpact: { high: 'High', medium: 'Medium', low: 'Low' },
  postmortemSpaceKey: 'ENG',
  incidentJql: 'issuetype = Incident',
  postmortemDueBusinessDays: 5,
  projectsInScope: [],
  digestEnabled: false,
  digestSpaceKey: 'ENG',
  publishNotifyUsers: [],
  publishNotifyGroups: [],
  experimentalSmtpEmail: false,
  announceSpaceKeys: [],
  publishEmailRecipients: [],
  smtpHost: '',
  smtpPort: 587,
  emailFrom: '',
  smtpUser: '',
  // issue 16: SEV1 and SEV2 incidents need their published postmortem where the gate is added.
  workflowGateSeverity: 'SEV2',
};

/** A plain mailbox address (local@domain.tld); display names are not accepted here. */
export const EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** C0 controls and DEL: they would break the SMTP AUTH exchange (NUL separates AUTH PLAIN's fields, CR LF ends a command). */
const hasControlCharacter = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
export const SMTP_PASSWORD_MAX = 512;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const emailAddress = (what: string) => z.string().trim().max(254, `${what} is too long.`).regex(EMAIL_ADDRESS, `${what} must be an email address such as eng@example.com.`);

const projectKey = z.string().trim().regex(PROJECT_KEY, 'Use a Jira project key such as OPS (capital letters, 2–10 characters).');
const wholeDays = (label: string, min: number, max: number) =>
  z.number({ error: `${label} must be a number.` }).int(`${label} must be a whole number of days.`).min(min, `${label} must be at least ${min}.`).max(max, `${label} must be at most ${max}.`);

export const settingsSchema = z
  .object({
    actionItemProjectKey: projectKey,
    actionItemIssueType: z.string().trim().min(1, 'Name the issue type for action items.').max(60),
    staleAfterDays: wholeDays('Stale after', 1, 365),
    followUpIntervalDays: wholeDays('Follow-up interval', 1, 180),
    maxFollowUps: z.number().int('At most … follow-ups must be a whole number.').min(0, 'At most … follow-ups cannot be negative.').max(20, 'More than 20 follow-ups on one item is nagging, not follow-through.'),
    businessDaysOnly: z.boolean(),
    timeZone: z.string().refine(isTimeZone, 'Unknown time zone: use an IANA name such as Europe/Berlin.'),
    holidays: z.array(z.string().refine(isCalendarDate, 'Holidays are dates written YYYY-MM-DD.')).max(366),
    unprioritized: z.object({ whenPriorityEmpty: z.boolean(), whenDefaultPriority: z.boolean(), onlyWithoutDueDate: z.boolean() }).strict(),
    priorityByImpact: z.object({ high: z.string().trim().min(1, 'Name a Jira priority.'), medium: z.string().trim().min(1, 'Name a Jira priority.'), low: z.string().trim().min(1, 'Name a Jira priority.') }).strict(),
    postmortemSpaceKey: z.string().trim().regex(/^[A-Za-z0-9~]{1,255}$/, 'Use a Confluence space key such as ENG.'),
    incidentJql: z
      .string()
      .trim()
      .min(1, 'Give the JQL that finds incidents, e.g. issuetype = Incident.')
      .max(2000)
      .refine((q) => !/\border\s+by\b/i.test(q), 'Leave out ORDER BY: the app adds its own conditions and order.'),
    postmortemDueBusinessDays: wholeDays('Postmortem due within', 1, 60),
    projectsInScope: z.array(projectKey).max(100),
    digestEnabled: z.boolean(),
    digestSpaceKey: z.string().trim().regex(/^[A-Za-z0-9~]{1,255}$/, 'Use a Confluence space key such as ENG.'),
    // Atlassian account ids: "a case-sensitive string of at most 128 ASCII characters" (developer glossary).
    publishNotifyUsers: z.array(z.string().trim().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'Each user to notify is a Jira account id such as 557058:0a1b2c3d-….')).max(50, 'At most 50 users: notify a group instead.'),
    publishNotifyGroups: z.array(z.string().trim().min(1, 'Name each Jira group to notify.').max(255, 'A Jira group name has at most 255 characters.')).max(20, 'At most 20 groups.'),
    experimentalSmtpEmail: z.boolean(),
    announceSpaceKeys: z.array(z.string().trim().regex(/^[A-Za-z0-9~]{1,255}$/, 'Use Confluence space keys such as ENG, separated by commas.')).max(100),
    publishEmailRecipients: z.array(emailAddress('Each recipient')).max(50, 'At most 50 recipients: use a mailing list address.'),
    smtpHost: z.string().trim().refine((h) => h === '' || HOST_NAME.test(h), 'Use a host name such as smtp.example.com.'),
    smtpPort: z.number({ error: 'The SMTP port must be a number.' }).int('The SMTP port must be a whole number.').min(1, 'The SMTP port must be between 1 and 65535.').max(65535, 'The SMTP port must be between 1 and 65535.'),
    emailFrom: z.string().trim().refine((a) => a === '' || EMAIL_ADDRESS.test(a), 'The sender must be an email address such as postmortems@example.com.'),
    smtpUser: z
      .string({ error: 'The SMTP user name must be text.' })
      .trim()
      .max(254, 'The SMTP user name is too long (at most 254 characters).')
      .refine((u) => !hasControlCharacter(u), 'The SMTP user name cannot contain control characters (such as line breaks).'),
    // issue 16: the workflow gate's severity threshold.
    workflowGateSeverity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'], { error: 'Pick a severity: SEV1, SEV2, SEV3 or SEV4.' }),
  })
  .strict()
  .refine((s) => s.unprioritized.whenPriorityEmpty || s.unprioritized.whenDefaultPriority, {
    path: ['unprioritized'],
    message: 'Pick at least one way an item counts as unprioritized.',
  })
  .refine((s) => !s.publishEmailRecipients.length || s.smtpHost.trim() !== '', { path: ['smtpHost'], message: 'Name the SMTP server the email goes through, or remove the recipients.' })
  .refine((s) => !s.publishEmailRecipients.length || s.emailFrom.trim() !== '', { path: ['emailFrom'], message: 'Give the sender address, or remove the recipients.' });

export type SettingsValidation = { ok: true; settings: AppSettings } | { ok: false; fieldErrors: Record<string, string> };

/** Checks an admin's input; the result is normalised (trimmed, holidays sorted and de-duplicated). */
export function validateSettings(input: unknown): SettingsValidation {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, fieldErrors: fieldErrorsOf(parsed.error, 'settings') };
  }
  const s = parsed.data;
  return {
    ok: true,
    settings: {
      ...s,
      holidays: [...new Set(s.holidays)].sort(),
      projectsInScope: [...new Set(s.projectsInScope)],
      publishEmailRecipients: [...new Set(s.publishEmailRecipients.map((a) => a.toLowerCase()))],
      publishNotifyUsers: [...new Set(s.publishNotifyUsers)],
      publishNotifyGroups: [...new Set(s.publishNotifyGroups)],
    },
  };
}

/** Stored settings merged over the defaults, so that settings added in later versions get their default. */
export function withDefaults(stored: Partial<AppSettings> | undefined): AppSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...(stored ?? {}),
    unprioritized: { ...DEFAULT_SETTINGS.unprioritized, ...(stored?.unprioritized ?? {}) },
    priorityByImpact: { ...DEFAULT_SETTINGS.priorityByImpact, ...(stored?.priorityByImpact ?? {}) },
  };
}

/**
 * A one-line description of what changed, for the audit trail. The SMTP password is named, never shown:
 * `passwordChange` says whether one was set or a stored one cleared.
 */
export function describeChange(before: AppSettings, after: AppSettings, passwordChange?: 'set' | 'cleared'): string {
  const changed: string[] = (Object.keys(after) as (keyof AppSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (passwordChange) changed.push(`smtpPassword (${passwordChange})`);
  return changed.length ? `Changed ${changed.join(', ')}` : 'Saved without changes';
}

export type SettingsSaveValidation =
  | { ok: true; settings: AppSettings; smtpPassword?: SmtpPasswordChange }
  | { ok: false; fieldErrors: Record<string, string> };

/** The password part of a save: left out (keep the stored one), `{ set }` or `{ clear: true }`. */
function checkPasswordChange(v: unknown): { ok: true; change?: SmtpPasswordChange } | { ok: false; message: string } {
  if (v === undefined) return { ok: true };
  const o = v as Record<string, unknown> | null;
  const keys = o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : [];
  if (keys.length === 1 && keys[0] === 'clear' && o!.clear === true) return { ok: true, change: { clear: true } };
  if (keys.length === 1 && keys[0] === 'set' && typeof o!.set === 'string') {
    const pass = o!.set;
    if (pass === '') return { ok: false, message: 'The new SMTP password is empty: type it, or leave the field empty to keep the stored one.' };
    if (pass.length > SMTP_PASSWORD_MAX) return { ok: false, message: `The SMTP password is too long (at most ${SMTP_PASSWORD_MAX} characters).` };
    if (hasControlCharacter(pass)) return { ok: false, message: 'The SMTP password cannot contain control characters (such as line breaks).' };
    return { ok: true, change: { set: pass } };
  }
  return { ok: false, message: 'Set a new SMTP password, clear the stored one, or leave it out to keep it.' };
}

/**
 * Checks a whole save: the settings, and what to do with the SMTP password, given whether one is stored now.
 * A login needs both halves: a user name without a password (stored, or typed now) is refused, and so is a
 * password without a user name. Error messages never repeat the password.
 */
export function validateSettingsSave(payload: unknown, passwordStored: boolean): SettingsSaveValidation {
  const p = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as { settings?: unknown; smtpPassword?: unknown }) : {};
  const checked = validateSettings(p.settings);
  const password = checkPasswordChange(p.smtpPassword);
  const fieldErrors: Record<string, string> = checked.ok ? {} : { ...checked.fieldErrors };
  if (!password.ok) fieldErrors.smtpPassword = password.message;
  if (checked.ok && password.ok) {
    const hasUser = checked.settings.smtpUser !== '';
    const hasPassword = password.change ? 'set' in password.change : passwordStored;
    if (hasUser && !hasPassword) fieldErrors.smtpPassword = 'An SMTP user name needs its password: type the password, or remove the user name.';
    if (!hasUser && hasPassword) {
      fieldErrors.smtpUser = password.change
        ? 'An SMTP password needs its user name: give the user name, or leave the password empty.'
        : 'The stored SMTP password needs its user name: give the user name, or clear the password.';
    }
  }
  if (Object.keys(fieldErrors).length || !checked.ok || !password.ok) return { ok: false, fieldErrors };
  return { ok: true, settings: checked.settings, ...(password.change ? { smtpPassword: password.change } : {}) };
}
