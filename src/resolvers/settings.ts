/** The settings admin page: read for everyone who can open it, change for Jira administrators only. */
import { effectivePasswordChange } from '../domain/smtp-password-rule';
import { makeResolver } from '@forge/resolver';
import type { SettingsDefinitions, SettingsView } from '../contract/settings';
import { describeChange, validateSettingsSave } from '../domain/settings';
import { JiraClient } from '../atlassian/jira';
import { ConfluenceClient } from '../atlassian/confluence';
import { lastSettingsChange, loadSettings, smtpPasswordStored, storeSettings } from '../store/settings';
import { respond, UserError } from './respond';

async function view(canEdit: boolean): Promise<SettingsView> {
  const [settings, lastChange, passwordSet] = await Promise.all([loadSettings(), lastSettingsChange(), smtpPasswordStored()]);
  // The SMTP password stays on the server: the page only learns whether one is stored.
  return { settings, canEdit, smtpPasswordSet: passwordSet, lastChange };
}

export const settingsResolver = makeResolver<SettingsDefinitions>({
  getSettings: () => respond(async () => view(await JiraClient.asUser().hasGlobalPermission('ADMINISTER'))),

  saveSettings: ({ payload, context }) =>
    respond(async () => {
      const jira = JiraClient.asUser();
      // Checked on the server: the page is only shown to admins, but a request can come from anywhere.
      if (!(await jira.hasGlobalPermission('ADMINISTER'))) {
        throw new UserError({ code: 'forbidden', message: 'Only Jira administrators can change these settings.' });
      }
      const passwordStored = await smtpPasswordStored();
      const checked = validateSettingsSave(payload, passwordStored);
      if (!checked.ok) {
        throw new UserError({ code: 'invalid-input', message: 'Some settings need fixing; nothing was saved.', fieldErrors: checked.fieldErrors });
      }
      const next = checked.settings;
      const fieldErrors: Record<string, string> = {};
      const project = await jira.findProject(next.actionItemProjectKey);
      if (!project) fieldErrors.actionItemProjectKey = `There is no Jira project ${next.actionItemProjectKey} that you can see.`;
      else if (project.issueTypes && !project.issueTypes.some((t) => t.name.toLowerCase() === next.actionItemIssueType.toLowerCase())) {
        fieldErrors.actionItemIssueType = `${project.key} has no issue type "${next.actionItemIssueType}" (it has ${project.issueTypes.map((t) => t.name).join(', ')}).`;
      }
      if (!(await ConfluenceClient.asUser().findSpaceByKey(next.postmortemSpaceKey))) {
        fieldErrors.postmortemSpaceKey = `There is no Confluence space ${next.postmortemSpaceKey} that you can see.`;
      }
      if (next.digestEnabled && !(await ConfluenceClient.asUser().findSpaceByKey(next.digestSpaceKey))) {
        fieldErrors.digestSpaceKey = `There is no Confluence space ${next.digestSpaceKey} that you can see.`;
      }
      const priorities = new Set((await jira.priorities()).map((pr) => pr.name.toLowerCase()));
      for (const level of ['high', 'medium', 'low'] as const) {
        if (!priorities.has(next.priorityByImpact[level].toLowerCase())) fieldErrors[`priorityByImpact.${level}`] = `Jira has no priority "${next.priorityByImpact[level]}".`;
      }
      const jql = await jira.parseJql(next.incidentJql);
      if (jql.errors?.length) fieldErrors.incidentJql = `Jira does not accept this JQL: ${jql.errors.join(' ')}`;
      for (const [i, key] of next.announceSpaceKeys.entries()) {
        if (!(await ConfluenceClient.asUser().findSpaceByKey(key))) fieldErrors[`announceSpaceKeys.${i}`] = `There is no Confluence space ${key} that you can see.`;
      }
      for (const [i, key] of next.projectsInScope.entries()) {
        if (!(await jira.findProject(key))) fieldErrors[`projectsInScope.${i}`] = `There is no Jira project ${key} that you can see.`;
      }
      if (Object.keys(fieldErrors).length) {
        throw new UserError({ code: 'invalid-input', message: 'Some settings need fixing; nothing was saved.', fieldErrors });
      }
      const before = await loadSettings();
      // A new SMTP host or port clears the stored password unless a new one comes with it (src/domain/smtp-password-rule.ts).
      const password = effectivePasswordChange(before, next, checked.smtpPassword, passwordStored);
      const passwordChange = !password ? undefined : 'set' in password ? 'set' : passwordStored ? 'cleared' : undefined;
      const summary = describeChange(before, next, passwordChange);
      await storeSettings(next, { changedAt: new Date().toISOString(), accountId: String(context.accountId), summary }, passwordChange ? password : undefined);
      return view(true);
    }),
});
