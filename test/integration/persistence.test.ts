/** `npm start` keeps the site's state across restarts, and a reset goes back to the seed. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalSite } from '../../local-site/site';
import { ADMIN_ID } from '../../local-site/state/users';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';

it('keeps data written through the app across a restart, and resets to the seed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pft-site-'));
  const stateFile = path.join(dir, 'state.json');
  const first = new LocalSite({ stateFile }).install();
  const seededIssues = first.state.jira.issues.length;
  await first.invokeUi('pft-settings', { functionKey: 'saveSettings', payload: { settings: { ...DEFAULT_SETTINGS, maxFollowUps: 5 } } }, { accountId: ADMIN_ID });
  await first.advanceClock(3 * 86_400_000);
  const clock = first.now().getTime();
  first.close();

  const second = new LocalSite({ stateFile }).install();
  const view = (await second.invokeUi('pft-settings', { functionKey: 'getSettings' }, { accountId: ADMIN_ID })) as { value: { settings: { maxFollowUps: number } } };
  expect(view.value.settings.maxFollowUps).toBe(5);
  expect(Math.abs(second.now().getTime() - clock)).toBeLessThan(5_000);

  second.reset();
  expect(second.state.platform.kvs.values).toEqual({});
  expect(second.state.jira.issues).toHaveLength(seededIssues);
  second.close();
  const third = new LocalSite({ stateFile });
  expect(third.state.platform.kvs.values).toEqual({});
  third.close();
});
