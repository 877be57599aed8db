/**
 * One installation across Confluence and Jira (manifest `app.compatibility`), as the local site models Forge's
 * installations (local-site/platform/installations.ts). Without the declaration Forge installs the app once
 * per product: separate storage, scheduled triggers firing once per installation, separate contexts, and the
 * journey below falls apart. With it, settings saved in Jira reach the Confluence macro and the daily job
 * runs once. Jira is optional: without it the Confluence surfaces keep working and say what needs Jira.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { getAppContext } from '@forge/api';
import { kvs } from '@forge/kvs';
import type { Result } from '../../src/contract/result';
import type { LoadedPostmortem } from '../../src/contract/postmortem-macro';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { LocalSite, PROJECT_ROOT } from '../../local-site/site';
import { ADMIN_ID, EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useLocalSite } from './support/site';
import { macroCall, reviewedPostmortem } from './support/publishing';

const LOCAL_ID = 'a11a11a1-0000-4000-8000-000000000001';

/** The project as it was before `app.compatibility`: the same code, the manifest without the declaration. */
function appWithoutCompatibility(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pft-no-compat-'));
  const doc = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'manifest.yml'), 'utf8')) as { app: Record<string, unknown> };
  delete doc.app.compatibility;
  fs.writeFileSync(path.join(dir, 'manifest.yml'), YAML.stringify(doc));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'src'), path.join(dir, 'src'));
  return dir;
}

/** What a team does on day one: an admin sets the action-item project in Jira; an editor opens the macro; a day passes. */
async function dayOne(s: LocalSite) {
  const saved = (await s.invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: { ...DEFAULT_SETTINGS, actionItemProjectKey: 'SEC' } } }, { accountId: ADMIN_ID })) as Result<unknown>;
  const loaded = (await s.invokeUi('pft-postmortem', { functionKey: 'loadPostmortem' }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } })) as Result<LoadedPostmortem>;
  const before = s.invocations.length;
  await s.runScheduledTrigger('pft-daily-follow-up');
  return {
    saved: saved.ok,
    macroProject: loaded.ok ? loaded.value.postmortem.actionItemProjectKey : loaded.error.message,
    followUpRuns: s.invocations.slice(before).filter((i) => i.functionKey === 'follow-up-trigger').length,
    installations: s.installations.map((i) => ({ context: i.installContext, apps: i.apps })),
  };
}

describe('with app.compatibility (the project manifest)', () => {
  const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });

  it('is one installation: settings saved in Jira reach the Confluence macro, the daily job runs once', async () => {
    expect(site().manifest.compatibility).toEqual({ confluence: { required: true }, jira: { required: false } });
    expect(await dayOne(site())).toEqual({
      saved: true,
      macroProject: 'SEC',
      followUpRuns: 1,
      installations: [{ context: expect.stringMatching(/^ari:cloud:confluence::site\//), apps: ['confluence', 'jira'] }],
    });
  });

  it('shares one storage between what runs for Confluence and for Jira', async () => {
    const s = site();
    expect(s.installations).toHaveLength(1);
    await s.asInvocation(ADMIN_ID, () => kvs.set('probe', 'one store'));
    expect(await s.asInvocation(EDITOR_ID, () => kvs.get('probe'))).toBe('one store');
  });

  it('each function sees the installation as Forge passes it: its id and one context per connected app', async () => {
    const s = site();
    const ctx = await s.asInvocation(undefined, async () => getAppContext());
    expect(String(ctx.installationAri)).toBe(`ari:cloud:ecosystem::installation/${s.installations[0].id}`);
    expect(ctx.installation?.contexts.map(String)).toEqual([expect.stringMatching(/^ari:cloud:confluence::site\//), expect.stringMatching(/^ari:cloud:jira::site\//)]);
    s.setConnected('jira', false);
    const without = await s.asInvocation(undefined, async () => getAppContext());
    expect(without.installation?.contexts.map(String)).toEqual([expect.stringMatching(/^ari:cloud:confluence::site\//)]);
  });
});

describe('without app.compatibility (the manifest before it)', () => {
  const root = appWithoutCompatibility();
  const site = useLocalSite({ appRoot: root, startAt: new Date('2026-11-02T09:00:00Z') });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is one installation per product: the macro never sees the Jira settings, and the daily job runs twice', async () => {
    const s = site();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const day = await dayOne(s);
    expect(day).toEqual({
      saved: false, // the Jira installation may not ask Confluence whether the postmortem space exists
      macroProject: 'OPS', // the default: the Confluence installation has its own, empty storage
      followUpRuns: 2,
      installations: [
        { context: expect.stringMatching(/^ari:cloud:confluence::site\//), apps: ['confluence'] },
        { context: expect.stringMatching(/^ari:cloud:jira::site\//), apps: ['jira'] },
      ],
    });
    // Storage is per installation: what the Jira side writes, the Confluence side never reads.
    const [confluence, jira] = s.installations;
    await s.asInvocation(ADMIN_ID, () => kvs.set('probe', 'written in Jira'), jira);
    expect(await s.asInvocation(EDITOR_ID, () => kvs.get('probe'), confluence)).toBeUndefined();
    expect(await s.asInvocation(ADMIN_ID, () => kvs.get('probe'), jira)).toBe('written in Jira');
    // And a Confluence installation may not call Jira: creating the macro's issues fails.
    const targets = (await s.invokeUi('pft-postmortem', { functionKey: 'getIssueTargets' }, { accountId: EDITOR_ID, localId: LOCAL_ID, extension: { content: { id: ONCALL_PAGE_ID, type: 'page' } } })) as Result<unknown>;
    expect(targets.ok).toBe(false);
    jest.restoreAllMocks();
  });
});

describe('Jira not connected (optional)', () => {
  const site = useLocalSite({ startAt: new Date('2026-11-02T09:00:00Z') });
  const call = macroCall(site, LOCAL_ID);

  it('the macro keeps the postmortem and says action items need Jira; the index and publishing work without it', async () => {
    const s = site();
    s.setConnected('jira', false);
    const jiraRequestsBefore = s.log.entries.filter((e) => e.product === 'jira').length;

    const pm = await reviewedPostmortem(call, {
      actionItems: [{ id: 'a1', title: 'Alert on pool saturation', description: '', owner: null, effort: 'low', impact: 'high', dueDate: null, state: 'accepted' }],
    });
    expect(pm.status).toBe('reviewed');
    const targets = await call(EDITOR_ID, 'getIssueTargets');
    expect(targets).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Jira is not connected to Postmortem Follow-Through on this site\. Action items/) } });
    expect(await call(EDITOR_ID, 'createIssues', {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('Jira is not connected') } });

    const index = (await s.invokeUi('pft-postmortem-index', { functionKey: 'getIndexPage', payload: {} }, { accountId: EDITOR_ID })) as Result<{ rows: unknown[] }>;
    expect(index).toMatchObject({ ok: true });
    expect(index.ok && index.value.rows).toHaveLength(1);

    const published = await call(EDITOR_ID, 'publishPostmortem');
    expect(published).toMatchObject({ ok: true, value: { run: { done: true } } });
    const steps = published.ok ? published.value.run.steps : [];
    expect(steps.find((x) => x.step === 'comment')).toMatchObject({ state: 'skipped', detail: 'Jira is not connected to the app, so INC-1 was not commented on.' });
    expect(steps.find((x) => x.step === 'notify')).toMatchObject({ state: 'skipped' });

    await s.runScheduledTrigger('pft-daily-follow-up');
    // Nothing was even tried against Jira.
    expect(s.log.entries.filter((e) => e.product === 'jira').length).toBe(jiraRequestsBefore);
  });

  it('Jira modules do not run, and connecting Jira brings them back', async () => {
    const s = site();
    s.setConnected('jira', false);
    await expect(s.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: ADMIN_ID })).rejects.toThrow(/not connected/);
    s.setConnected('jira', true);
    expect(await s.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: ADMIN_ID })).toMatchObject({ ok: true });
  });
});
