/**
 * Publishes a reviewed postmortem: status → published, page labels, a comment on the incident, Jira's
 * notification on the incident (its reporter, assignee and watchers plus the people and groups the settings
 * name: Jira's documented notify API, emailed through Jira's own mail settings), the digest entry for the
 * week, and, only when an admin opted in, the experimental SMTP email (whose failure never stops the rest).
 *
 * Each side effect happens once, whatever happens: a lease lets one click work while a second waits for its
 * result; each step is recorded in Forge storage when done, so a retry after a failure or a crash skips what
 * is done; and the steps that could have happened without being recorded are safe to repeat — labels are a
 * set, the digest entry is keyed by the postmortem, the comment is looked up by its marker before posting,
 * and the status change checks the stored status first. The label and the comment are written as the
 * publisher, so Confluence's and Jira's permissions apply and the comment carries their name.
 */
import { randomUUID } from 'node:crypto';
import { sendEmail, SendEmailError } from '@forge/api/out/sendEmail';
import type { Postmortem } from '../contract/postmortem';
import type { AppSettings } from '../contract/settings';
import type { PublishRun, PublishStepView, PublishView } from '../contract/publish';
import { ConfluenceClient, type PageProperty } from '../atlassian/confluence';
import { JiraClient, type JiraNotification } from '../atlassian/jira';
import { AtlassianError, needsConsent } from '../atlassian/request';
import { jiraConnected } from '../atlassian/installation';
import { publishComment } from '../adf/publish-comment';
import { findAppComment } from './app-comments';
import { AnnouncementAudience } from './announcement-audience';
import { publishCommentMarker, publishLabels, publishRefusal, weekOf } from '../domain/publish';
import { publishEmail } from '../domain/publish-email';
import { loadSettings, readSmtpPassword } from '../store/settings';
import { acquireLease, readLease, releaseLease } from '../store/leases';
import { readPostmortem, updatePostmortem } from '../store/postmortem-document';
import { indexPostmortem } from './index-postmortem';
import { loadPublishRun, savePublishRun } from '../store/publish-runs';
import { putDigestEntry } from '../store/digest';
import { ServiceRefusal } from './refusal';

export interface PublishTarget {
  pageId: string;
  localId: string;
  accountId: string;
  pageUrl: string;
  siteUrl: string;
}

/** Longer than a publish takes; a lease left by a crashed run frees itself after this. */
const LEASE_SECONDS = 60;
const WAIT_FOR_OTHER_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const leaseName = (pageId: string, localId: string) => `publish:${pageId}:${localId}`;

/** What each step did, in words, for the panel. */
export function stepViews(run: PublishRun): PublishStepView[] {
  const s = run.steps;
  const comment = s.comment;
  const notify = s.notify;
  const email = s.email;
  return [
    { step: 'status', state: s.status ? 'done' : 'pending', detail: s.status ? 'Marked published' : 'Mark published' },
    { step: 'labels', state: s.labels ? 'done' : 'pending', detail: s.labels ? `Labelled ${s.labels.labels.join(', ')}` : 'Label the page' },
    {
      step: 'comment',
      state: !comment ? 'pending' : 'skipped' in comment ? 'skipped' : 'done',
      detail: !comment ? 'Comment on the incident' : 'skipped' in comment ? comment.skipped : `Commented on ${comment.issueKey}`,
    },
    {
      step: 'notify',
      state: !notify ? 'pending' : 'skipped' in notify ? 'skipped' : 'done',
      detail: !notify ? 'Notify the incident\'s people through Jira' : 'skipped' in notify ? notify.skipped : `Jira notified ${notify.to.join(', ')} on ${notify.issueKey}`,
    },
    { step: 'digest', state: s.digest ? 'done' : 'pending', detail: s.digest ? `Listed in the weekly digest for ${run.week}` : 'Add to the weekly digest' },
    {
      step: 'email',
      state: !email ? 'pending' : 'skipped' in email ? 'skipped' : 'failed' in email ? 'failed' : 'done',
      detail: !email
        ? 'Email over SMTP (experimental)'
        : 'skipped' in email
          ? email.skipped
          : 'failed' in email
            ? `The experimental SMTP email was not sent: ${email.failed}`
            : `Emailed ${email.accepted.join(', ')}${email.rejected.length ? ` (refused: ${email.rejected.join(', ')})` : ''} (experimental SMTP)`,
    },
  ];
}

export function runView(run: PublishRun, siteUrl: string): NonNullable<PublishView['run']> {
  const c = run.steps.comment;
  return {
    done: run.done,
    publishedAt: run.publishedAt,
    steps: stepViews(run),
    ...(c && 'issueKey' in c ? { commentUrl: `${siteUrl}/browse/${c.issueKey}?focusedCommentId=${c.commentId}` } : {}),
  };
}

/**
 * What the caller read, as the publisher, in the same invocation: the stored postmortem and whether they may
 * edit the page. Not read again here.
 */
export interface PublishReading {
  stored: PageProperty<Postmortem> | undefined;
  canEdit: boolean;
}

/** Reads what publishing decides on: the document and the person's right to edit the page, at once. */
export async function readForPublishing(target: PublishTarget): Promise<PublishReading> {
  const confluence = ConfluenceClient.asUser();
  const [stored, canEdit] = await Promise.all([
    readPostmortem(confluence, target.pageId, target.localId),
    confluence.hasContentPermission(target.pageId, target.accountId, 'update'),
  ]);
  return { stored, canEdit };
}

/** Whether this person may publish (or finish publishing) now, and how far it got. */
export async function publishState(target: PublishTarget, { stored, canEdit }: PublishReading): Promise<PublishView> {
  const run = await loadPublishRun(target.pageId, target.localId);
  const view = run ? runView(run, target.siteUrl) : undefined;
  if (!stored) return { canPublish: false, reason: 'Save the postmortem first.', ...(view ? { run: view } : {}) };
  if (run?.done) return { canPublish: false, reason: 'Published.', run: view };
  const reason = publishRefusal(stored.value, { accountId: target.accountId, canEdit });
  return { canPublish: !reason, ...(reason ? { reason } : {}), ...(view ? { run: view } : {}) };
}

export async function publishPostmortem(target: PublishTarget, { stored, canEdit }: PublishReading): Promise<{ run: PublishRun; postmortem: Postmortem; version: number; alreadyPublished: boolean }> {
  const confluence = ConfluenceClient.asUser();
  if (!stored) throw new ServiceRefusal({ code: 'invalid-input', message: 'Save the postmortem before publishing it.' });
  const existing = await loadPublishRun(target.pageId, target.localId);
  if (existing?.done && stored.value.status === 'published') {
    return { run: existing, postmortem: stored.value, version: stored.version.number, alreadyPublished: true };
  }
  const refusal = publishRefusal(stored.value, { accountId: target.accountId, canEdit });
  if (refusal) throw new ServiceRefusal({ code: stored.value.status === 'reviewed' || stored.value.status === 'published' ? 'forbidden' : 'invalid-input', message: refusal });

  // One publisher at a time; a second click waits for the first one's result.
  const holder = randomUUID();
  const lease = leaseName(target.pageId, target.localId);
  if (!(await acquireLease(lease, holder, LEASE_SECONDS))) {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    while (Date.now() < deadline) {
      await sleep(250);
      const other = await readLease<boolean>(lease);
      const run = await loadPublishRun(target.pageId, target.localId);
      if (run?.done) {
        const now = await readPostmortem(confluence, target.pageId, target.localId);
        return { run, postmortem: now!.value, version: now!.version.number, alreadyPublished: true };
      }
      if (!other) break; // the other attempt stopped part-way: fall through and report
    }
    throw new ServiceRefusal({ code: 'conflict', message: 'This postmortem is being published right now; wait a moment and reload.' });
  }

  try {
    const settings = await loadSettings();
    const now = new Date();
    const run: PublishRun = existing ?? {
      pageId: target.pageId,
      localId: target.localId,
      startedBy: target.accountId,
      startedAt: now.toISOString(),
      publishedAt: now.toISOString(),
      week: weekOf(now, settings.timeZone).id,
      steps: {},
      done: false,
    };
    const record = async () => savePublishRun(run);
    if (!existing) await record();

    // 1. Status: published, on top of whatever people saved meanwhile.
    let current = stored;
    if (!run.steps.status) {
      current = await updatePostmortem(confluence, target.pageId, target.localId, (pm) => {
        if (pm.status !== 'reviewed' && pm.status !== 'published') {
          throw new ServiceRefusal({ code: 'conflict', message: `Someone moved the postmortem back to ${pm.status} meanwhile; nothing was published.` });
        }
        return { ...pm, status: 'published' };
      });
      await indexPostmortem(confluence, target.pageId, target.localId, current.value);
      run.steps.status = new Date().toISOString();
      await record();
    }
    const pm = current.value;

    // 2. Labels (adding a label the page has is a no-op in Confluence).
    if (!run.steps.labels) {
      const labels = publishLabels(pm);
      await confluence.addLabels(target.pageId, labels);
      run.steps.labels = { at: new Date().toISOString(), labels };
      await record();
    }

    // 3. The comment on the incident, found by its marker if an earlier attempt posted it unrecorded.
    if (!run.steps.comment) {
      run.steps.comment = await commentOnIncident(pm, target, run, record);
      await record();
    }

    // Whether this postmortem may be announced at all: asked once, for the notification and the email alike.
    let audienceVerdict: Promise<string | undefined> | undefined;
    const announceRefusal = () => (audienceVerdict ??= AnnouncementAudience.refusal(settings, target.pageId));

    // 4. Jira's notification on the incident: the default announcement.
    if (!run.steps.notify) {
      run.steps.notify = await notifyIncident(pm, target, settings, run, record, announceRefusal);
      await record();
    }

    // 5. The digest entry for the week it was published in (keyed by the postmortem: writing it again is harmless).
    if (!run.steps.digest) {
      await putDigestEntry({
        week: run.week,
        publishedAt: run.publishedAt,
        pageId: target.pageId,
        localId: target.localId,
        title: pm.title,
        severity: pm.severity,
        incidentKey: pm.incidentKey ?? '',
        ownerName: pm.incidentOwner?.displayName ?? '',
        pageUrl: target.pageUrl,
      });
      run.steps.digest = new Date().toISOString();
      await record();
    }

    // 6. The experimental SMTP email, only when an admin opted in. Whatever goes wrong with it is recorded and
    // shown; it never keeps the postmortem from being published.
    if (!run.steps.email) {
      run.steps.email = await experimentalEmail(pm, target, settings, run, record, announceRefusal);
      await record();
    }

    run.done = true;
    await record();
    // Done is recorded in the run; a later click returns it before asking for the lease.
    await releaseLease(lease);
    const final = await readPostmortem(confluence, target.pageId, target.localId);
    return { run, postmortem: final!.value, version: final!.version.number, alreadyPublished: false };
  } catch (e) {
    await releaseLease(lease).catch(() => undefined);
    if (e instanceof ServiceRefusal) throw e;
    console.error('Publishing stopped part-way', e);
    if (needsConsent(e)) throw e;
    const why = e instanceof AtlassianError ? ` (${e.messages[0] ?? `Atlassian answered ${e.status}`})` : '';
    throw new ServiceRefusal({ code: 'upstream', message: `Publishing stopped part-way${why}. Click Publish again to finish: what is done is not done twice.` });
  }
}

/** The app settings name an SMTP user but no password is stored (only possible if storage lost it). */
class EmailLoginMissing extends Error {
  constructor(user: string) {
    super(`no SMTP password is stored for the user name ${user}; a Jira administrator can set it in the app settings`);
    this.name = 'EmailLoginMissing';
  }
}

/** Why the mail server or the platform refused the email, in words for the publisher. */
function emailFailure(e: SendEmailError): string {
  // 535 (RFC 4954: credentials invalid), or a refused AUTH exchange: the login in the settings is wrong.
  if (e.code === 'EAUTH' || e.responseCode === 535 || /^AUTH\b/i.test(e.command ?? '')) {
    return 'the mail server did not accept the SMTP user name and password in the app settings; a Jira administrator can correct them';
  }
  if (e.responseCode === 530) return 'the mail server requires a login; a Jira administrator can set the SMTP user name and password in the app settings';
  return e.responseCode ? `the mail server answered ${e.responseCode} to ${e.command ?? 'the message'}` : `${e.code ?? e.errorCode}${e.command ? ` at ${e.command}` : ''}`;
}

type Step<K extends keyof PublishRun['steps']> = NonNullable<PublishRun['steps'][K]>;

/**
 * Jira's notify API on the incident: reporter, assignee, watchers and the settings' users and groups. Jira
 * answers 400 when a recipient is the caller or the assignee is asked for on an unassigned issue, so those
 * are left out here (the publisher needs no email about their own click). Not idempotent: once asked, a later
 * attempt never asks again.
 */
async function notifyIncident(pm: Postmortem, target: PublishTarget, settings: AppSettings, run: PublishRun, record: () => Promise<void>, announceRefusal: () => Promise<string | undefined>): Promise<Step<'notify'>> {
  const at = new Date().toISOString();
  if (!pm.incidentKey) return { at, skipped: 'No incident is named on the postmortem, so Jira notified nobody.' };
  if (!jiraConnected()) return { at, skipped: 'Jira is not connected to the app, so nobody was notified there.' };
  const jira = JiraClient.asUser();
  let incident;
  try {
    incident = await jira.getIssue(pm.incidentKey, ['reporter', 'assignee']);
  } catch (e) {
    if (e instanceof AtlassianError && (e.status === 404 || e.status === 403)) return { at, skipped: `You cannot see ${pm.incidentKey} in Jira, so nobody was notified there.` };
    throw e;
  }
  const me = target.accountId;
  const other = (u: { accountId: string } | null | undefined) => Boolean(u && u.accountId !== me);
  const users = settings.publishNotifyUsers.filter((id) => id !== me);
  const to: JiraNotification['to'] = {
    reporter: other(incident.fields.reporter),
    assignee: other(incident.fields.assignee),
    watchers: true,
    ...(users.length ? { users: users.map((accountId) => ({ accountId })) } : {}),
    ...(settings.publishNotifyGroups.length ? { groups: settings.publishNotifyGroups.map((name) => ({ name })) } : {}),
  };
  const who = [
    ...(to.reporter ? ['the reporter'] : []),
    ...(to.assignee ? ['the assignee'] : []),
    'the watchers',
    ...(users.length ? [`${users.length} ${users.length === 1 ? 'person' : 'people'} from the settings`] : []),
    ...settings.publishNotifyGroups.map((g) => `group ${g}`),
  ];
  // Asked before and never heard back: Jira may have sent it. Asking again could email everyone twice.
  if (run.steps.notifyIntent) return { at, issueKey: pm.incidentKey, to: who };
  // The notification carries the summary: like the digest and the email, it goes out only for a postmortem
  // every reader of the digest space may read, from a space whose postmortems are announced.
  const refusal = await announceRefusal();
  if (refusal) return { at, skipped: `Not notified: ${refusal}` };
  const publisher = await jira.myself().then((u) => u.displayName, () => 'The incident owner');
  const mail = publishEmail({ pm, pageUrl: target.pageUrl, pageId: target.pageId, localId: target.localId, incidentUrl: `${target.siteUrl}/browse/${pm.incidentKey}`, publisherName: publisher });
  run.steps.notifyIntent = new Date().toISOString();
  await record();
  try {
    await jira.notify(pm.incidentKey, { subject: mail.subject, textBody: mail.text, htmlBody: mail.html, to });
  } catch (e) {
    // Jira refused (400 a recipient it does not know, 403 outgoing email off): nothing was sent; say why.
    if (e instanceof AtlassianError && e.status >= 400 && e.status < 500 && e.status !== 429) {
      return { at, skipped: `Jira did not send the notification: ${e.messages[0] ?? `it answered ${e.status}`}` };
    }
    throw e;
  }
  return { at, issueKey: pm.incidentKey, to: who };
}

/** The experimental SMTP email (opt-in). Never throws, except to let the host ask for consent. */
async function experimentalEmail(pm: Postmortem, target: PublishTarget, settings: AppSettings, run: PublishRun, record: () => Promise<void>, announceRefusal: () => Promise<string | undefined>): Promise<Step<'email'>> {
  const at = new Date().toISOString();
  if (!settings.experimentalSmtpEmail) return { at, skipped: 'Email over SMTP is off (experimental; app settings).' };
  if (!settings.publishEmailRecipients.length) return { at, skipped: 'No email list is configured (app settings).' };
  try {
    // The list reaches the digest space's readers at least: a restricted postmortem is not sent to it.
    const refusal = await announceRefusal();
    if (refusal) return { at, skipped: `Not emailed: ${refusal}` };
    run.steps.emailIntent ??= new Date().toISOString();
    await record();
    const publisher = await JiraClient.asUser().myself().then((u) => u.displayName, () => 'The incident owner');
    const mail = publishEmail({ pm, pageUrl: target.pageUrl, pageId: target.pageId, localId: target.localId, incidentUrl: pm.incidentKey ? `${target.siteUrl}/browse/${pm.incidentKey}` : null, publisherName: publisher });
    // The login's password is read now, from Forge storage's secrets: it never sits in the settings or the run.
    const pass = settings.smtpUser ? await readSmtpPassword() : undefined;
    if (settings.smtpUser && !pass) throw new EmailLoginMissing(settings.smtpUser);
    const sent = await sendEmail({
      host: settings.smtpHost,
      port: settings.smtpPort,
      ...(settings.smtpUser && pass ? { auth: { user: settings.smtpUser, pass } } : {}),
      from: { name: 'Postmortem Follow-Through', address: settings.emailFrom },
      to: settings.publishEmailRecipients,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
    });
    return { at: new Date().toISOString(), to: settings.publishEmailRecipients, accepted: sent.accepted, rejected: sent.rejected, messageId: sent.messageId ?? mail.messageId };
  } catch (e) {
    if (needsConsent(e)) throw e;
    console.error('The experimental SMTP email failed; publishing goes on', e);
    const why = e instanceof SendEmailError ? emailFailure(e) : e instanceof EmailLoginMissing ? e.message : e instanceof Error ? e.message : String(e);
    return { at: new Date().toISOString(), failed: why };
  }
}

async function commentOnIncident(pm: Postmortem, target: PublishTarget, run: PublishRun, record: () => Promise<void>): Promise<NonNullable<PublishRun['steps']['comment']>> {
  const at = new Date().toISOString();
  if (!pm.incidentKey) return { at, skipped: 'No incident is named on the postmortem.' };
  if (!jiraConnected()) return { at, skipped: `Jira is not connected to the app, so ${pm.incidentKey} was not commented on.` };
  const jira = JiraClient.asUser();
  const marker = publishCommentMarker(target.pageId, target.localId);
  let comments;
  try {
    comments = await jira.recentComments(pm.incidentKey);
  } catch (e) {
    if (e instanceof AtlassianError && (e.status === 404 || e.status === 403)) return { at, skipped: `You cannot see ${pm.incidentKey} in Jira, so it was not commented on.` };
    throw e;
  }
  // Only a comment an earlier attempt of this step posted counts (its author and time recorded before it
  // posted): a marker line anyone typed on the incident does not.
  const intent = run.steps.commentIntent;
  const found = intent ? findAppComment(comments, marker, { kind: 'user', accountId: intent.accountId, notBefore: intent.at }) : undefined;
  if (found) return { at, issueKey: pm.incidentKey, commentId: found.id };
  run.steps.commentIntent = { at, accountId: target.accountId };
  await record();
  const posted = await jira.addComment(pm.incidentKey, publishComment({ pm, pageUrl: target.pageUrl, pageId: target.pageId, localId: target.localId }));
  return { at, issueKey: pm.incidentKey, commentId: posted.id };
}
