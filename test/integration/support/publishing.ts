/** Helpers shared by the publish and digest tests: a postmortem brought to Reviewed, and the email settings. */
import type { Postmortem } from '../../../src/contract/postmortem';
import type { SettingsView, AppSettings, SmtpPasswordChange } from '../../../src/contract/settings';
import { DEFAULT_SETTINGS } from '../../../src/domain/settings';
import type { LocalSite } from '../../../local-site/site';
import { ADMIN_ID, EDITOR_ID } from '../../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../../local-site/confluence/seed';
import { invokeUi, macroDriver, value } from '../../support/ui-driver';

export { value };

/** The typed driver of the postmortem macro `localId` (on the on-call page unless `pageId` says). */
export function macroCall(site: () => LocalSite, localId: string, pageId = ONCALL_PAGE_ID) {
  return macroDriver(site, localId, pageId);
}

/** Saves the postmortem with these fields, then walks it draft → in review → reviewed, as people would. */
export async function reviewedPostmortem(call: ReturnType<typeof macroCall>, over: Partial<Postmortem> = {}, accountId = EDITOR_ID): Promise<Postmortem> {
  const loaded = value(await call(accountId, 'loadPostmortem'));
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
    const saved = value(await call(accountId, 'savePostmortem', { postmortem: next, base, baseVersion: version }));
    if (saved.kind !== 'saved') throw new Error('save failed');
    base = saved.postmortem;
    version = saved.version;
  }
  return base;
}

export async function saveSettings(site: () => LocalSite, change: Partial<AppSettings>, smtpPassword?: SmtpPasswordChange): Promise<SettingsView> {
  const payload = { settings: { ...DEFAULT_SETTINGS, ...change }, ...(smtpPassword ? { smtpPassword } : {}) };
  return value(await invokeUi(site(), 'pft-settings', ADMIN_ID, {}, 'saveSettings', payload));
}

/** The catcher started and the app's settings opting in to the experimental SMTP email through it (with an SMTP login when one is given). */
export async function emailToCatcher(site: () => LocalSite, recipients = ['eng@example.com'], login?: { user: string; pass: string }): Promise<SettingsView> {
  const { port } = await site().startMailCatcher();
  return saveSettings(site, { experimentalSmtpEmail: true, publishEmailRecipients: recipients, smtpHost: '127.0.0.1', smtpPort: port, emailFrom: 'postmortems@example.com', smtpUser: login?.user ?? '' }, login ? { set: login.pass } : undefined);
}
