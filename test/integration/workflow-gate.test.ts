/**
 * issue 16: the workflow gate on incidents, through the local site's Jira workflows: a Jira admin adds the
 * app's "Postmortem published" validator to the → Done transition; Jira then runs the app's validator
 * function on every such transition (REST and the issue view alike).
 */
import type { Result } from '../../src/contract/result';
import type { IncidentGateView } from '../../src/contract/incident-postmortem';
import type { IndexPage } from '../../src/contract/postmortem-index';
import type { SiteResponse } from '../../local-site/http/types';
import { useLocalSite } from './support/site';
import { macroCall, reviewedPostmortem, saveSettings, value } from './support/publishing';
import { addRule } from '../../local-site/jira/workflows';
import { STATUS } from '../../local-site/jira/seed';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';

const site = useLocalSite();
const LOCAL_ID = 'b0b0b0b0-0000-4000-8000-0000000000g1';
const call = macroCall(site, LOCAL_ID);

const transition = (key: string, statusId: string, accountId = EDITOR_ID): Promise<SiteResponse> =>
  site().handleProduct('jira', { method: 'POST', path: `/rest/api/3/issue/${key}/transitions`, query: new URLSearchParams(), headers: {}, body: { transition: { id: statusId } }, actor: { kind: 'user', accountId } });
const statusOf = (key: string) => site().state.jira.issues.find((i) => i.key === key)!.statusId;
const errorOf = (res: SiteResponse) => (res.body as { errorMessages: string[] }).errorMessages.join(' ');
const incidentCall = <T>(accountId: string, issueKey: string, functionKey: string, payload: unknown = {}) =>
  site().invokeUi('pft-create-postmortem', { functionKey, payload }, { accountId, extension: { issue: { key: issueKey, type: 'Incident' } } }) as Promise<Result<T>>;

/** Avery (a Jira admin) puts the gate on → Done of the INC workflow. */
function gateDone(): void {
  const added = addRule(site().state.jira, site().state.users, { kind: 'user', accountId: ADMIN_ID }, { projectKey: 'INC', transitionId: STATUS.done, validatorKey: 'pft-postmortem-gate' }, site().manifest.workflowValidators.map((v) => v.key), site().now());
  expect(added.ok).toBe(true);
}

/** A resolved seed incident reopened (→ In Progress carries no validator), ready to be closed again. */
async function reopened(key: string): Promise<void> {
  expect((await transition(key, STATUS.inProgress)).status).toBe(204);
}

it('only a Jira admin can add the validator to a transition', () => {
  const byEditor = addRule(site().state.jira, site().state.users, { kind: 'user', accountId: EDITOR_ID }, { projectKey: 'INC', transitionId: STATUS.done, validatorKey: 'pft-postmortem-gate' }, ['pft-postmortem-gate'], site().now());
  expect(byEditor).toEqual({ ok: false, status: 403, message: 'Only Jira administrators can change workflows.' });
  expect(site().state.jira.workflowRules ?? []).toEqual([]);
  gateDone();
  gateDone(); // adding it twice keeps one
  expect(site().state.jira.workflowRules).toHaveLength(1);
});

it('refuses closing a SEV1 incident until its postmortem is published, then lets it close', async () => {
  gateDone();
  await reopened('INC-1');

  // No postmortem yet: the refusal points at Create postmortem on the incident.
  const none = await transition('INC-1', STATUS.done);
  expect(none.status).toBe(400);
  expect(errorOf(none)).toMatch(/INC-1 is a SEV1 incident.*no postmortem yet.*Create postmortem.*\/browse\/INC-1$/);
  expect(statusOf('INC-1')).toBe(STATUS.inProgress);

  // A reviewed but unpublished postmortem: the refusal links it.
  await reviewedPostmortem(call);
  const draft = await transition('INC-1', STATUS.done);
  expect(draft.status).toBe(400);
  expect(errorOf(draft)).toContain(`“Checkout latency” is not published yet: ${site().baseUrl}/wiki/pages/${ONCALL_PAGE_ID}`);

  // A person cannot fake "published": the validator reads the app's own publish record, not the page or issue.
  site().state.jira.issues.find((i) => i.key === 'INC-1')!.properties['postmortem-published'] = { published: true };
  expect((await transition('INC-1', STATUS.done)).status).toBe(400);

  value(await call(EDITOR_ID, 'publishPostmortem'));
  expect((await transition('INC-1', STATUS.done)).status).toBe(204);
  expect(statusOf('INC-1')).toBe(STATUS.done);
  expect(value(await incidentCall<IncidentGateView>(EDITOR_ID, 'INC-1', 'getIncidentGate'))).toMatchObject({ severity: 'SEV1', threshold: 'SEV2', state: 'published', waiver: null, canWaive: false });
});

it('a Jira admin waives the gate for one incident with a reason; it is recorded and shown', async () => {
  gateDone();
  await reopened('INC-3');
  await reopened('INC-2');
  expect((await transition('INC-3', STATUS.done)).status).toBe(400);

  // Not an admin: refused, nothing recorded.
  const byEditor = await incidentCall<IncidentGateView>(EDITOR_ID, 'INC-3', 'waiveIncidentGate', { reason: 'Duplicate of INC-1' });
  expect(byEditor).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  const noReason = await incidentCall<IncidentGateView>(ADMIN_ID, 'INC-3', 'waiveIncidentGate', { reason: ' ' });
  expect(noReason).toMatchObject({ ok: false, error: { code: 'invalid-input', fieldErrors: { reason: expect.any(String) } } });
  expect((await transition('INC-3', STATUS.done)).status).toBe(400);

  const waived = value(await incidentCall<IncidentGateView>(ADMIN_ID, 'INC-3', 'waiveIncidentGate', { reason: 'Duplicate of INC-1, reviewed there' }));
  expect(waived).toMatchObject({ state: 'waived', waiver: { displayName: 'Avery Admin', reason: 'Duplicate of INC-1, reviewed there', waivedAt: expect.any(String) } });
  // A second waiver (double click, another admin) keeps the first.
  value(await incidentCall<IncidentGateView>(ADMIN_ID, 'INC-3', 'waiveIncidentGate', { reason: 'Something else' }));
  expect(value(await incidentCall<IncidentGateView>(EDITOR_ID, 'INC-3', 'getIncidentGate'))).toMatchObject({ state: 'waived', waiver: { reason: 'Duplicate of INC-1, reviewed there' } });

  expect((await transition('INC-3', STATUS.done)).status).toBe(204);

  // The postmortem index shows the waiver on the incident's postmortem.
  await reviewedPostmortem(call, { incidentKey: 'INC-3', title: 'SSO login failures' });
  const index = value((await site().invokeUi('pft-postmortem-index', { functionKey: 'getIndexPage', payload: {} }, { accountId: EDITOR_ID })) as Result<IndexPage>);
  expect(index.rows.find((r) => r.incident?.key === 'INC-3')).toMatchObject({ title: 'SSO login failures', gateWaiver: { by: 'Avery Admin', reason: 'Duplicate of INC-1, reviewed there', at: waived.waiver!.waivedAt } });

  // The waiver is for INC-3 only: INC-2 (SEV2, at the default threshold) is still gated.
  expect((await transition('INC-2', STATUS.done)).status).toBe(400);
});

it('follows the severity setting: below it, incidents close freely', async () => {
  gateDone();
  await reopened('INC-2'); // High = SEV2
  await saveSettings(site, { workflowGateSeverity: 'SEV1' });
  expect((await transition('INC-2', STATUS.done)).status).toBe(204);
  expect(value(await incidentCall<IncidentGateView>(EDITOR_ID, 'INC-2', 'getIncidentGate'))).toMatchObject({ severity: 'SEV2', threshold: 'SEV1', state: 'not-gated' });
});

it('refuses when the check itself cannot run (Jira failing), and says so', async () => {
  gateDone();
  await reopened('INC-3');
  site().addFault({ product: 'jira', method: 'GET', path: '/rest/api/3/issue/INC-3', kind: 'server-error', times: 20 });
  const res = await transition('INC-3', STATUS.done);
  site().faults.clear();
  expect(res.status).toBe(400);
  expect(errorOf(res)).toMatch(/postmortem check for INC-3 could not run/);
  expect(statusOf('INC-3')).toBe(STATUS.inProgress);
});

it('the site refuses a transition whose validator function throws, or whose app no longer provides it (fail closed)', async () => {
  await reopened('INC-2');
  // A validator whose function throws on the validator payload (a resolver handler is not a validator).
  site().manifest.workflowValidators.push({ key: 'broken-validator', name: 'Broken', description: 'throws', function: 'settings-resolver' });
  const users = site().state.users;
  const admin = { kind: 'user' as const, accountId: ADMIN_ID };
  expect(addRule(site().state.jira, users, admin, { projectKey: 'INC', transitionId: STATUS.done, validatorKey: 'broken-validator' }, ['broken-validator'], site().now()).ok).toBe(true);
  const thrown = await transition('INC-2', STATUS.done);
  expect(thrown.status).toBe(400);
  expect(errorOf(thrown)).toMatch(/Broken: the app's validator could not run/);

  site().manifest.workflowValidators.pop(); // the app stopped providing it
  const gone = await transition('INC-2', STATUS.done);
  expect(gone.status).toBe(400);
  expect(statusOf('INC-2')).toBe(STATUS.inProgress);
});
