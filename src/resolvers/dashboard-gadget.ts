/**
 * The *Postmortem follow-through* dashboard gadget (`jira:dashboardGadget`): its view and its edit view.
 * Validate (the configuration comes from the platform context, `extension.gadgetConfiguration`, but anyone who
 * may edit the dashboard writes it: it is checked with zod on every call) → the viewer's rights (every read is
 * as the viewing user) → the gadget service (src/services/dashboard-gadget.ts) → the contract.
 */
import { makeResolver } from '@forge/resolver';
import { z } from 'zod';
import type { GadgetConfig, GadgetDefinitions, GadgetEditOptions, GadgetView } from '../contract/gadget';
import { JiraClient } from '../atlassian/jira';
import { DEFAULT_GADGET_CONFIG, gadgetConfigSchema, readGadgetConfiguration } from '../domain/gadget';
import { fieldErrorsOf } from '../domain/validation';
import { GadgetFilterUnavailable, gadgetView } from '../services/dashboard-gadget';
import { ReportQueryRefused, ZERO_COUNTS } from '../services/follow-through-report';
import { loadSettings } from '../store/settings';
import { respond, UserError } from './respond';

const MAX_LISTED = 100;

interface GadgetContext {
  siteUrl?: string;
  extension?: { gadgetConfiguration?: unknown };
}

const checkInput = z.object({ config: z.unknown() }).strict();

/** The saved configuration, checked; a bad one says which fields to fix in the edit view. */
function savedConfig(context: GadgetContext): GadgetConfig | null {
  const read = readGadgetConfiguration(context.extension?.gadgetConfiguration);
  if (!read.configured) return null;
  if ('error' in read) {
    throw new UserError({ code: 'invalid-input', message: 'This gadget’s configuration is not valid: edit the gadget to fix it.', fieldErrors: fieldErrorsOf(read.error, 'config') });
  }
  return read.config;
}

/** What the service's typed failures mean to the person looking at the gadget. */
async function asViewer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof GadgetFilterUnavailable) {
      throw new UserError({ code: 'not-found', message: 'This gadget’s saved filter is not available to you: it was deleted or is not shared with you. Edit the gadget to pick another.' });
    }
    if (e instanceof ReportQueryRefused) {
      throw new UserError({ code: 'invalid-input', message: 'Jira could not count the items for this gadget; edit it to check its projects or filter, or ask your Jira admin to check the app settings.' });
    }
    throw e;
  }
}

export const dashboardGadgetResolver = makeResolver<GadgetDefinitions>({
  getGadgetView: ({ context }) =>
    respond(async (): Promise<GadgetView> => {
      const config = savedConfig(context);
      const now = new Date();
      if (!config) {
        return { configured: false, asOf: now.toISOString(), config: DEFAULT_GADGET_CONFIG, scopeLabel: '', counts: ZERO_COUNTS, oldest: [], overduePostmortems: [], postmortemDueBusinessDays: 0 };
      }
      const settings = await loadSettings();
      return asViewer(() => gadgetView(JiraClient.asUser(), settings, config, { now, siteUrl: String((context as GadgetContext).siteUrl ?? '') }));
    }),

  getGadgetEditOptions: ({ context }) =>
    respond(async (): Promise<GadgetEditOptions> => {
      // A broken saved configuration opens the edit view on the default: the person fixes it by saving.
      const read = readGadgetConfiguration((context as GadgetContext).extension?.gadgetConfiguration);
      const config = read.configured && 'config' in read ? read.config : DEFAULT_GADGET_CONFIG;
      const settings = await loadSettings();
      const jira = JiraClient.asUser();
      const [projects, filters] = await Promise.all([jira.browsableProjects(settings.projectsInScope, MAX_LISTED), jira.visibleFilters(MAX_LISTED)]);
      return { config, projects, filters };
    }),

  checkGadgetConfig: ({ payload }) =>
    respond(async (): Promise<GadgetConfig> => {
      const input = checkInput.safeParse(payload ?? {});
      const parsed = input.success ? gadgetConfigSchema.safeParse(input.data.config) : undefined;
      if (!parsed?.success) {
        throw new UserError({ code: 'invalid-input', message: 'Check the highlighted fields.', fieldErrors: parsed ? fieldErrorsOf(parsed.error, 'config') : { config: 'Not a gadget configuration.' } });
      }
      const config = parsed.data;
      const settings = await loadSettings();
      const jira = JiraClient.asUser();
      if (config.scope.kind === 'projects' && config.scope.projectKeys.length) {
        const outside = config.scope.projectKeys.filter((k) => settings.projectsInScope.length && !settings.projectsInScope.includes(k));
        const visible = new Set((await jira.browsableProjects(config.scope.projectKeys, MAX_LISTED)).map((p) => p.key));
        const unknown = config.scope.projectKeys.filter((k) => !visible.has(k) || outside.includes(k));
        if (unknown.length) throw new UserError({ code: 'invalid-input', message: 'Check the highlighted fields.', fieldErrors: { 'scope.projectKeys': `Not a project this gadget can report on: ${unknown.join(', ')}.` } });
      }
      if (config.scope.kind === 'filter' && !(await jira.findFilter(config.scope.filterId))) {
        throw new UserError({ code: 'invalid-input', message: 'Check the highlighted fields.', fieldErrors: { 'scope.filterId': 'Pick a saved filter you can see.' } });
      }
      return config;
    }),
});
