import { useEffect, useState, type ReactNode } from 'react';
import type { AppSettings, SettingsDefinitions, SettingsView, SmtpPasswordChange } from '../../../src/contract/settings';
import { formatDateTime } from '../../shared/dates';
import { typedInvoke } from '../../shared/invoke';

const call = typedInvoke<SettingsDefinitions>();

/** The form keeps what the admin typed as text, so nothing typed is lost when a save is refused. */
interface Draft {
  actionItemProjectKey: string;
  actionItemIssueType: string;
  staleAfterDays: string;
  followUpIntervalDays: string;
  maxFollowUps: string;
  businessDaysOnly: boolean;
  timeZone: string;
  holidays: string;
  whenPriorityEmpty: boolean;
  whenDefaultPriority: boolean;
  onlyWithoutDueDate: boolean;
  priorityHigh: string;
  priorityMedium: string;
  priorityLow: string;
  postmortemSpaceKey: string;
  incidentJql: string;
  postmortemDueBusinessDays: string;
  projectsInScope: string;
  digestEnabled: boolean;
  digestSpaceKey: string;
  publishNotifyUsers: string;
  publishNotifyGroups: string;
  experimentalSmtpEmail: boolean;
  announceSpaceKeys: string;
  publishEmailRecipients: string;
  smtpHost: string;
  smtpPort: string;
  emailFrom: string;
  smtpUser: string;
  /** A new SMTP password typed here; empty keeps the stored one. Never filled from the server. */
  smtpPassword: string;
  clearSmtpPassword: boolean;
  /** issue 16: the workflow gate's severity threshold. */
  workflowGateSeverity: string;
}

const toDraft = (s: AppSettings): Draft => ({
  actionItemProjectKey: s.actionItemProjectKey,
  actionItemIssueType: s.actionItemIssueType,
  staleAfterDays: String(s.staleAfterDays),
  followUpIntervalDays: String(s.followUpIntervalDays),
  maxFollowUps: String(s.maxFollowUps),
  businessDaysOnly: s.businessDaysOnly,
  timeZone: s.timeZone,
  holidays: s.holidays.join('\n'),
  whenPriorityEmpty: s.unprioritized.whenPriorityEmpty,
  whenDefaultPriority: s.unprioritized.whenDefaultPriority,
  onlyWithoutDueDate: s.unprioritized.onlyWithoutDueDate,
  priorityHigh: s.priorityByImpact.high,
  priorityMedium: s.priorityByImpact.medium,
  priorityLow: s.priorityByImpact.low,
  postmortemSpaceKey: s.postmortemSpaceKey,
  incidentJql: s.incidentJql,
  postmortemDueBusinessDays: String(s.postmortemDueBusinessDays),
  projectsInScope: s.projectsInScope.join(', '),
  digestEnabled: s.digestEnabled,
  digestSpaceKey: s.digestSpaceKey,
  publishNotifyUsers: s.publishNotifyUsers.join('\n'),
  publishNotifyGroups: s.publishNotifyGroups.join('\n'),
  experimentalSmtpEmail: s.experimentalSmtpEmail,
  announceSpaceKeys: s.announceSpaceKeys.join(', '),
  publishEmailRecipients: s.publishEmailRecipients.join('\n'),
  smtpHost: s.smtpHost,
  smtpPort: String(s.smtpPort),
  emailFrom: s.emailFrom,
  smtpUser: s.smtpUser,
  smtpPassword: '',
  clearSmtpPassword: false,
  workflowGateSeverity: s.workflowGateSeverity,
});

/** Numbers that are not numbers stay NaN, so the server names the field instead of silently using 0. */
const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
const list = (text: string, sep: RegExp): string[] => text.split(sep).map((x) => x.trim()).filter(Boolean);

const fromDraft = (d: Draft): AppSettings => ({
  actionItemProjectKey: d.actionItemProjectKey.trim().toUpperCase(),
  actionItemIssueType: d.actionItemIssueType,
  staleAfterDays: num(d.staleAfterDays),
  followUpIntervalDays: num(d.followUpIntervalDays),
  maxFollowUps: num(d.maxFollowUps),
  businessDaysOnly: d.businessDaysOnly,
  timeZone: d.timeZone.trim(),
  holidays: list(d.holidays, /[\s,]+/),
  unprioritized: { whenPriorityEmpty: d.whenPriorityEmpty, whenDefaultPriority: d.whenDefaultPriority, onlyWithoutDueDate: d.onlyWithoutDueDate },
  priorityByImpact: { high: d.priorityHigh.trim(), medium: d.priorityMedium.trim(), low: d.priorityLow.trim() },
  postmortemSpaceKey: d.postmortemSpaceKey.trim(),
  incidentJql: d.incidentJql,
  postmortemDueBusinessDays: num(d.postmortemDueBusinessDays),
  projectsInScope: list(d.projectsInScope, /[\s,]+/).map((k) => k.toUpperCase()),
  digestEnabled: d.digestEnabled,
  digestSpaceKey: d.digestSpaceKey.trim(),
  publishNotifyUsers: list(d.publishNotifyUsers, /[\s,;]+/),
  publishNotifyGroups: list(d.publishNotifyGroups, /\n+/),
  experimentalSmtpEmail: d.experimentalSmtpEmail,
  announceSpaceKeys: list(d.announceSpaceKeys, /[\s,]+/),
  publishEmailRecipients: list(d.publishEmailRecipients, /[\s,;]+/),
  smtpHost: d.smtpHost.trim(),
  smtpPort: num(d.smtpPort),
  emailFrom: d.emailFrom.trim(),
  smtpUser: d.smtpUser.trim(),
  // The server checks the value (src/domain/settings.ts); an unknown one is named there.
  workflowGateSeverity: d.workflowGateSeverity as AppSettings['workflowGateSeverity'],
});

/** What the save does to the stored password: clear it, set the one typed, or (nothing typed) keep it. */
const passwordChange = (d: Draft): SmtpPasswordChange | undefined => (d.clearSmtpPassword ? { clear: true } : d.smtpPassword !== '' ? { set: d.smtpPassword } : undefined);

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

export function SettingsPage() {
  const [loaded, setLoaded] = useState<SettingsView | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [draft, setDraft] = useState<Draft | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    void call('getSettings').then((r) => {
      if (r.ok) {
        setLoaded(r.value);
        setDraft(toDraft(r.value.settings));
      } else setLoadError(r.error.message);
    });
  }, []);

  if (loadError) return <div className="banner error" role="alert">{loadError}</div>;
  if (!loaded || !draft) return <p>Loading settings…</p>;

  const readOnly = !loaded.canEdit;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft({ ...draft, [key]: value });
    if (status.kind === 'saved') setStatus({ kind: 'idle' });
  };

  const save = async () => {
    setStatus({ kind: 'saving' });
    const smtpPassword = passwordChange(draft);
    const r = await call('saveSettings', { settings: fromDraft(draft), ...(smtpPassword ? { smtpPassword } : {}) });
    if (r.ok) {
      setLoaded(r.value);
      setDraft(toDraft(r.value.settings));
      setErrors({});
      setStatus({ kind: 'saved' });
    } else {
      setErrors(r.error.fieldErrors ?? {});
      setStatus({ kind: 'error', message: r.error.message });
    }
  };

  /** Draft fields whose error key differs from their name (nested settings). */
  const errorKey: Partial<Record<keyof Draft, string>> = { priorityHigh: 'priorityByImpact.high', priorityMedium: 'priorityByImpact.medium', priorityLow: 'priorityByImpact.low' };
  const text = (key: Exclude<keyof Draft, 'workflowGateSeverity' | 'businessDaysOnly' | 'whenPriorityEmpty' | 'whenDefaultPriority' | 'onlyWithoutDueDate' | 'digestEnabled' | 'clearSmtpPassword'>, label: string, hint?: string, type: 'text' | 'number' = 'text') => (
    <Field id={key} label={label} error={errors[errorKey[key] ?? key] ?? firstNested(errors, key)} hint={hint}>
      <input
        id={key}
        type={type}
        value={draft[key] as string}
        disabled={readOnly}
        aria-invalid={Boolean(errors[errorKey[key] ?? key] ?? firstNested(errors, key))}
        onChange={(e) => set(key, e.target.value as never)}
      />
    </Field>
  );
  const check = (key: 'businessDaysOnly' | 'whenPriorityEmpty' | 'whenDefaultPriority' | 'onlyWithoutDueDate' | 'digestEnabled' | 'experimentalSmtpEmail', label: string) => (
    <label className="checkbox">
      <input type="checkbox" id={key} checked={draft[key]} disabled={readOnly} onChange={(e) => set(key, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h1>Postmortem Follow-Through settings</h1>
      {readOnly && <div className="banner info">Only Jira administrators can change these settings.</div>}

      <h2>Action items</h2>
      <div className="row">
        <div>{text('actionItemProjectKey', 'Jira project for action items')}</div>
        <div>{text('actionItemIssueType', 'Issue type')}</div>
      </div>
      <div className="row">
        <div>{text('priorityHigh', 'Priority for high-impact items')}</div>
        <div>{text('priorityMedium', 'Priority for medium-impact items')}</div>
        <div>{text('priorityLow', 'Priority for low-impact items')}</div>
      </div>
      {text('projectsInScope', 'Projects the follow-ups and report cover', 'Project keys separated by commas; empty means every project.')}

      <h2>Follow-ups</h2>
      <div className="row">
        <div>{text('staleAfterDays', 'Stale after (days without an update by a person)', "Counted from the last change or comment by anyone but this app: its own follow-ups do not make an item look fresh. A person's comment or change starts the follow-ups over.", 'number')}</div>
        <div>{text('followUpIntervalDays', 'Days between follow-ups on one item', undefined, 'number')}</div>
        <div>{text('maxFollowUps', 'At most … follow-ups per item', 'After that the postmortem owner is told instead.', 'number')}</div>
      </div>
      {check('businessDaysOnly', 'Count business days only (skip weekends and holidays)')}
      <div className="row">
        <div>{text('timeZone', 'Time zone', 'IANA name, e.g. Europe/Berlin')}</div>
        <div>
          <Field id="holidays" label="Holidays" error={errors.holidays ?? firstNested(errors, 'holidays')} hint="One date per line, YYYY-MM-DD.">
            <textarea id="holidays" rows={3} value={draft.holidays} disabled={readOnly} onChange={(e) => set('holidays', e.target.value)} />
          </Field>
        </div>
      </div>
      <Field
        id="unprioritized"
        label="An item is unprioritized when"
        error={errors.unprioritized}
        hint="The priority the app sets from an item's impact (below) is a choice: an item created with it is never unprioritized, even when it is Jira's default priority. Only a default priority that neither a person nor the impact mapping chose counts."
      >
        {check('whenPriorityEmpty', 'it has no priority')}
        {check('whenDefaultPriority', "it still has Jira's default priority that nobody chose")}
        {check('onlyWithoutDueDate', '… and only if it has no due date either')}
      </Field>

      <h2>Incidents</h2>
      {text('incidentJql', 'JQL that finds incidents')}
      {text('postmortemSpaceKey', 'Confluence space for new postmortem pages', 'Pages started from an incident are created here.')}
      {text('postmortemDueBusinessDays', 'A postmortem is due within (business days of resolution)', undefined, 'number')}
      {/* issue 16: the workflow gate on incidents */}
      <Field
        id="workflowGateSeverity"
        label="Workflow gate: incidents that need a published postmortem"
        error={errors.workflowGateSeverity}
        hint="Where a Jira admin adds the “Postmortem published” validator to a transition of the incident workflow, incidents at this severity or above (from the incident's Jira priority: Highest = SEV1) cannot take it until their postmortem is published, or an admin waives it on the incident."
      >
        <select id="workflowGateSeverity" value={draft.workflowGateSeverity} disabled={readOnly} aria-invalid={Boolean(errors.workflowGateSeverity)} onChange={(e) => set('workflowGateSeverity', e.target.value)}>
          <option value="SEV1">SEV1 only</option>
          <option value="SEV2">SEV2 and above</option>
          <option value="SEV3">SEV3 and above</option>
          <option value="SEV4">Every incident (SEV4 and above)</option>
        </select>
      </Field>

      <h2>Publishing</h2>
      {check('digestEnabled', 'Write a weekly digest page (postmortems published, action items completed)')}
      {text('digestSpaceKey', 'Confluence space for the weekly digest', 'Everyone watching this space is told when a new digest page appears.')}
      {text('announceSpaceKeys', 'Also announce postmortems from these spaces', 'Space keys separated by commas. Postmortems of the digest space are always announced; a page that some reader of the digest space cannot see is never named in the digest or the email, only counted.')}
      <p className="hint">
        Publishing asks Jira to notify the incident&apos;s reporter, assignee and watchers (Jira&apos;s notify API: Jira emails them through its
        own mail settings, and only people who may see the incident).
      </p>
      <div className="row">
        <div>
          <Field id="publishNotifyUsers" label="Also notify these Jira users" error={errors.publishNotifyUsers ?? firstNested(errors, 'publishNotifyUsers')} hint="Atlassian account ids, one per line.">
            <textarea id="publishNotifyUsers" rows={2} value={draft.publishNotifyUsers} disabled={readOnly} onChange={(e) => set('publishNotifyUsers', e.target.value)} />
          </Field>
        </div>
        <div>
          <Field id="publishNotifyGroups" label="Also notify these Jira groups" error={errors.publishNotifyGroups ?? firstNested(errors, 'publishNotifyGroups')} hint="Group names, one per line, e.g. engineering.">
            <textarea id="publishNotifyGroups" rows={2} value={draft.publishNotifyGroups} disabled={readOnly} onChange={(e) => set('publishNotifyGroups', e.target.value)} />
          </Field>
        </div>
      </div>
      <h3>Email over SMTP (experimental)</h3>
      <div className="banner info">
        Experimental: this path uses a Forge email module that @forge/api does not export and no Atlassian page documents, so it may stop working at any
        time. If it fails, publishing still finishes and says why.
      </div>
      {check('experimentalSmtpEmail', 'Also email a published postmortem over SMTP (experimental)')}
      <Field id="publishEmailRecipients" label="Email a published postmortem to" error={errors.publishEmailRecipients ?? firstNested(errors, 'publishEmailRecipients')} hint="Addresses such as your engineering list, one per line; empty means no email.">
        <textarea id="publishEmailRecipients" rows={2} value={draft.publishEmailRecipients} disabled={readOnly} aria-invalid={Boolean(errors.publishEmailRecipients ?? firstNested(errors, 'publishEmailRecipients'))} onChange={(e) => set('publishEmailRecipients', e.target.value)} />
      </Field>
      <div className="row">
        <div>{text('smtpHost', 'SMTP server', 'The mail server Forge relays the email through. Changing the server or port clears the stored SMTP password unless you enter a new one in the same save.')}</div>
        <div>{text('smtpPort', 'SMTP port', undefined, 'number')}</div>
        <div>{text('emailFrom', 'Sender address')}</div>
      </div>
      <div className="row">
        <div>{text('smtpUser', 'SMTP user name', 'For a server that requires a login; empty means none.')}</div>
        <div>
          <Field
            id="smtpPassword"
            label="SMTP password"
            error={errors.smtpPassword}
            hint={loaded.smtpPasswordSet ? 'A password is stored (kept in Forge storage as a secret, never shown). Leave this empty to keep it, or type a new one.' : 'No password is stored. It is kept in Forge storage as a secret and never shown again.'}
          >
            <input
              id="smtpPassword"
              type="password"
              autoComplete="new-password"
              value={draft.smtpPassword}
              placeholder={loaded.smtpPasswordSet ? 'Stored (unchanged)' : 'Not set'}
              disabled={readOnly || draft.clearSmtpPassword}
              aria-invalid={Boolean(errors.smtpPassword)}
              onChange={(e) => set('smtpPassword', e.target.value)}
            />
          </Field>
          {loaded.smtpPasswordSet && !readOnly && (
            <label className="checkbox">
              <input type="checkbox" id="clearSmtpPassword" checked={draft.clearSmtpPassword} onChange={(e) => setDraft({ ...draft, clearSmtpPassword: e.target.checked, smtpPassword: '' })} />
              Clear the stored password
            </label>
          )}
        </div>
      </div>

      {status.kind === 'error' && <div className="banner error" role="alert">{status.message}</div>}
      {status.kind === 'saved' && <div className="banner success" role="status">Settings saved.</div>}
      {!readOnly && (
        <p>
          <button className="primary" type="submit" disabled={status.kind === 'saving'}>
            {status.kind === 'saving' ? 'Saving…' : 'Save settings'}
          </button>
        </p>
      )}
      {loaded.lastChange && (
        <p className="hint">
          Last change {formatDateTime(loaded.lastChange.changedAt, loaded.settings.timeZone)} ({loaded.settings.timeZone}): {loaded.lastChange.summary}.
        </p>
      )}
    </form>
  );
}

function firstNested(errors: Record<string, string>, key: string): string | undefined {
  const hit = Object.keys(errors).find((k) => k.startsWith(`${key}.`));
  return hit ? errors[hit] : undefined;
}

function Field(props: { id: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error ? <div className="field-error" id={`${props.id}-error`}>{props.error}</div> : props.hint ? <div className="hint">{props.hint}</div> : null}
    </div>
  );
}
