/**
 * The follow-through report (Jira project page and Confluence page): open postmortem action items that are
 * overdue, unassigned, unprioritized or stale — counted and listed AS THE VIEWING USER, so nobody sees an
 * issue of a project they cannot browse.
 *
 * This resolver validates the request, decides the project from the platform context (never the payload on
 * the project page), calls the report service (src/services/follow-through-report.ts, rules in
 * src/domain/follow-through-report.ts) and maps the outcome to the contract.
 */
import { makeResolver } from '@forge/resolver';
import { z } from 'zod';
import type { ReportDefinitions, ReportPage, ReportSummary } from '../contract/report';
import type { AppSettings } from '../contract/settings';
import { JiraClient } from '../atlassian/jira';
import { baseJql, describeUnprioritized, searchWords } from '../domain/follow-through-report';
import { emptyAging, reportCounts, reportPage, ReportQueryRefused, ZERO_COUNTS } from '../services/follow-through-report';
import { loadSettings } from '../store/settings';
import { defaultPriorityName } from '../services/default-priority';
import { respond, UserError } from './respond';
import { fieldErrorsOf, PROJECT_KEY } from '../domain/validation';

const MINUTE_MS = 60_000;
/** How old a paging `asOf` may be before the report must be reloaded. */
const MAX_AS_OF_AGE_MS = 60 * MINUTE_MS;
const MAX_TEXT = 200;
const MAX_PROJECTS = 100;

// ---------- input ----------

const projectKeySchema = z.string().regex(PROJECT_KEY, 'Use a Jira project key such as OPS.');
const summaryInput = z.object({ projectKey: projectKeySchema.optional() }).strict();
const pageInput = z
  .object({
    projectKey: projectKeySchema.optional(),
    reason: z.enum(['any', 'overdue', 'unassigned', 'unprioritized', 'stale']).optional(),
    text: z.string().max(MAX_TEXT, `Search for at most ${MAX_TEXT} characters.`).optional(),
    pageToken: z.string().min(1).max(4096).regex(/^[\x21-\x7e]+$/, 'Not a page token.').optional(),
    asOf: z.iso.datetime().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return parsed.data;
  throw new UserError({ code: 'invalid-input', message: 'The report cannot be shown for this request.', fieldErrors: fieldErrorsOf(parsed.error, 'payload') });
}

interface ReportContext {
  siteUrl?: string;
  extension?: { type?: string; project?: { key?: string } };
}

/** The project: from the Jira project page's context (never the payload there), else the viewer's pick. */
function projectOf(context: ReportContext, picked: string | undefined, settings: AppSettings): { projectKey: string | null; fixed: boolean; outOfScope: boolean } {
  const fromPage = context.extension?.project?.key;
  if (fromPage !== undefined || context.extension?.type === 'jira:projectPage') {
    const key = String(fromPage ?? '');
    if (!projectKeySchema.safeParse(key).success) throw new UserError({ code: 'invalid-input', message: 'This page belongs to no Jira project the report can show.' });
    return { projectKey: key, fixed: true, outOfScope: settings.projectsInScope.length > 0 && !settings.projectsInScope.includes(key) };
  }
  if (picked && settings.projectsInScope.length && !settings.projectsInScope.includes(picked)) {
    throw new UserError({ code: 'invalid-input', message: `Project ${picked} is not among the projects this report covers.`, fieldErrors: { projectKey: 'Pick one of the listed projects.' } });
  }
  return { projectKey: picked ?? null, fixed: false, outOfScope: false };
}

function asOfFrom(text: string | undefined): Date {
  const now = new Date();
  if (!text) return now;
  const t = Date.parse(text);
  if (t > now.getTime() + MINUTE_MS || now.getTime() - t > MAX_AS_OF_AGE_MS) {
    throw new UserError({ code: 'invalid-input', message: 'This report is out of date: reload it to see the current items.', fieldErrors: { asOf: 'Reload the report.' } });
  }
  return new Date(t);
}

/** Jira refusing a query built here is never the viewer's JQL: say what to do, not what Jira said about it. */
async function asViewer<T>(work: () => Promise<T>, projectKey: string | null, paging: boolean): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ReportQueryRefused) {
      throw new UserError({
        code: 'invalid-input',
        message: paging
          ? 'These results have expired: reload the report.'
          : projectKey
            ? `Jira could not report on project ${projectKey}: check that it exists and that you can see it.`
            : 'Jira could not run this report; reload the page, and ask your Jira admin to check the app settings if it persists.',
      });
    }
    throw e;
  }
}

export const followThroughReportResolver = makeResolver<ReportDefinitions>({
  getReportSummary: ({ payload, context }) =>
    respond(async (): Promise<ReportSummary> => {
      const input = parse(summaryInput, payload);
      const settings = await loadSettings();
      const { projectKey, fixed, outOfScope } = projectOf(context, input.projectKey, settings);
      const now = new Date();
      const jira = JiraClient.asUser();
      // The project page looks up just its project (for the name); the Confluence page the ones to pick from.
      const [defaultPriority, listed] = await Promise.all([defaultPriorityName(jira), jira.browsableProjects(projectKey && fixed ? [projectKey] : settings.projectsInScope, MAX_PROJECTS)]);
      const rules = { staleAfterDays: settings.staleAfterDays, businessDaysOnly: settings.businessDaysOnly, timeZone: settings.timeZone, unprioritized: describeUnprioritized(settings, defaultPriority) };
      const project = projectKey ? (listed.find((p) => p.key === projectKey) ?? { key: projectKey, name: projectKey }) : null;
      const base = { asOf: now.toISOString(), project, projectFixed: fixed, projects: fixed ? [] : listed, outOfScope, rules };
      const projectKeys = projectKey ? [projectKey] : settings.projectsInScope.length ? listed.map((p) => p.key) : null;
      if (outOfScope || projectKeys?.length === 0) return { ...base, counts: ZERO_COUNTS, aging: emptyAging() };
      return { ...base, ...(await asViewer(() => reportCounts(jira, baseJql(projectKeys), settings, defaultPriority, now), projectKey, false)) };
    }),

  getReportPage: ({ payload, context }) =>
    respond(async (): Promise<ReportPage> => {
      const input = parse(pageInput, payload);
      const settings = await loadSettings();
      const { projectKey, outOfScope } = projectOf(context, input.projectKey, settings);
      const now = asOfFrom(input.pageToken ? input.asOf : undefined);
      let words: string | null = null;
      if (input.text !== undefined && input.text.trim() !== '') {
        words = searchWords(input.text);
        if (!words) throw new UserError({ code: 'invalid-input', message: 'Search for words: letters or digits.', fieldErrors: { text: 'Type a word from the summary.' } });
      }
      const none: ReportPage = { asOf: now.toISOString(), rows: [], nextPageToken: null };
      if (outOfScope) return none;
      const jira = JiraClient.asUser();
      // All projects in scope: only those the viewer can browse may be named in the JQL.
      const scopeLookup = !projectKey && settings.projectsInScope.length ? jira.browsableProjects(settings.projectsInScope, MAX_PROJECTS) : undefined;
      const [defaultPriority, visibleScope] = await Promise.all([defaultPriorityName(jira), scopeLookup]);
      const projectKeys = projectKey ? [projectKey] : visibleScope ? visibleScope.map((p) => p.key) : null;
      if (projectKeys?.length === 0) return none;
      const siteUrl = String((context as ReportContext).siteUrl ?? '');
      return asViewer(
        () => reportPage(jira, settings, { all: baseJql(projectKeys), reason: input.reason, words, pageToken: input.pageToken, now, siteUrl, defaultPriority }),
        projectKey,
        !!input.pageToken,
      );
    }),
});
