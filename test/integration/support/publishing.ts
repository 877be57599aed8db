/** Helpers shared by the publish and digest tests: a postmortem brought to Reviewed, and the email settings. */
import type { LoadedPostmortem, SaveOutcome } from '../../../src/contract/postmortem-macro';
import type { Postmortem } from '../../../src/contract/postmortem';
import type { Result } from '../../../src/contract/result';
import type { SettingsView, AppSettings, SmtpPasswordChange } from '../../../src/contract/settings';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings';
import type { LocalSite } from '../../../local-site/site';
import { ADMIN_ID, EDITOR_ID } from '../../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../../local-site/confluence/seed';

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

export function macroCall(site: () => LocalSite, localId: string, pageId = ONCALL_PAGE_ID) {
  return <T>(accountId: string, functionKey: string, payload?: unknown) =>
    site().invokeUi('pft-postmortem', { functionKey, payload }, { accountId, localId, extension: { content: { id: pageId, type: 'page' } } }) as Promise<Result<T>>;
}

/** Saves the postmortem with these fields, then walks it draft → in review → reviewed, as people would. */
export async function reviewedPostmortem(call: ReturnType<typeof macroCall>, over: Partial<Postmortem> = {}, accountId = EDITOR_ID): Promise<Postmortem> {
  const loaded = value(await call<LoadedPostmortem>(accountId, 'loadPostmortem'));
  let base = loaded.postmortem;
  let version = loaded.version;
  const steps: Postmortem['status'][] = ['draft', 'in-review', 'reviewed'];
  for (const status of steps) {
    const next = {
      ...base,
      title: 'Checkout latency',
      severity: 'SEV2' as const,
      incidentKey: 'INC-1',
      summary: 'Checkout was slow for 40 minutes after a connection pool ran dry.',
      incidentOwner: { kind: 'user' as const, id: EDITOR_ID, displayName: 'Eden Editor' },
      ...over,
      status,
    };
    const saved = value(await call<SaveOutcome>(accountId, 'savePostmortem', { postmortem: next, base, baseVersion: version }));
    if (saved.kind !== 'saved') throw new Error('save failed');
    base = saved.postmortem;
    version = saved.version;
  }
  return base;
}

export async function saveSettings(site: () => LocalSite, change: Partial<AppSettings>, smtpPassword?: SmtpPasswordChange): Promise<SettingsView> {
  const payload = { settings: { ...DEFAULT_SETTINGS, ...change }, ...(smtpPassword ? { smtpPassword } : {}) };
  return value((await site().invokeUi('pft-settings', { functionKey: 'saveSettings', payload }, { accountId: ADMIN_ID })) as Result<SettingsView>);
}

/** The catcher started and the app's settings opting in to the experimental SMTP email through it (with an SMTP login when one is given). */
export async function emailToCatcher(site: () => LocalSite, recipients = ['eng@example.com'], login?: { user: string; pass: string }): Promise<SettingsView> {
  const { port } = await site().startMailCatcher();
  return saveSettings(site, { experimentalSmtpEmail: true, publishEmailRecipients: recipients, smtpHost: '127.0.0.1', smtpPort: port, emailFrom: 'postmortems@example.com', smtpUser: login?.user ?? '' }, login ? { set: login.pass } : undefined);
}
