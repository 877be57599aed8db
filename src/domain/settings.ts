/** The app's settings: defaults and the validation rules an admin's input must pass. Pure, no I/O. */
import { z } from 'zod';
import type { AppSettings } from '../contract/settings';
import { isCalendarDate, isTimeZone } from './time-zone';

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
  publishEmailRecipients: [],
  smtpHost: '',
  smtpPort: 587,
  emailFrom: '',
};

/** A plain mailbox address (local@domain.tld); display names are not accepted here. */
export const EMAIL_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const emailAddress = (what: string) => z.string().trim().max(254, `${what} is too long.`).regex(EMAIL_ADDRESS, `${what} must be an email address such as eng@example.com.`);

const projectKey = z.string().trim().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'Use a Jira project key such as OPS (capital letters, 2–10 characters).');
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
    publishEmailRecipients: z.array(emailAddress('Each recipient')).max(50, 'At most 50 recipients: use a mailing list address.'),
    smtpHost: z.string().trim().refine((h) => h === '' || HOST_NAME.test(h), 'Use a host name such as smtp.example.com.'),
    smtpPort: z.number({ error: 'The SMTP port must be a number.' }).int('The SMTP port must be a whole number.').min(1, 'The SMTP port must be between 1 and 65535.').max(65535, 'The SMTP port must be between 1 and 65535.'),
    emailFrom: z.string().trim().refine((a) => a === '' || EMAIL_ADDRESS.test(a), 'The sender must be an email address such as postmortems@example.com.'),
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
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.map(String).join('.') : 'settings';
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  const s = parsed.data;
  return {
    ok: true,
    settings: {
      ...s,
      holidays: [...new Set(s.holidays)].sort(),
      projectsInScope: [...new Set(s.projectsInScope)],
      publishEmailRecipients: [...new Set(s.publishEmailRecipients.map((a) => a.toLowerCase()))],
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

/** A one-line description of what changed, for the audit trail. */
export function describeChange(before: AppSettings, after: AppSettings): string {
  const changed = (Object.keys(after) as (keyof AppSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return changed.length ? `Changed ${changed.join(', ')}` : 'Saved without changes';
}
