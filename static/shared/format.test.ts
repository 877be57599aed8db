/** Navigation and small formatting the Custom UI apps share, through the real @forge/bridge over its bridge seam. */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { bridgeCalls, setHostContext } from '../../test/support/custom-ui-bridge';
import type { MouseEvent } from 'react';
import { navigate, openIssue, openUrl, plural } from './format';
import { typedInvoke } from './invoke';
import type { SettingsDefinitions } from '../../src/contract/settings';

function click(): MouseEvent & { prevented: boolean } {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) };
  return e as unknown as MouseEvent & { prevented: boolean };
}
const calls = (name: string) => bridgeCalls.filter((c) => c.name === name).map((c) => c.args);

beforeEach(() => {
  bridgeCalls.length = 0;
});

it('says one thing or many', () => {
  expect(plural(1, 'item')).toBe('1 item');
  expect(plural(0, 'item')).toBe('0 items');
  expect(plural(2, 'person', 'people')).toBe('2 people');
});

describe('navigate and openUrl', () => {
  it('hand a safe URL to the product and keep the iframe from loading it', () => {
    const e = click();
    navigate(e, 'https://example.atlassian.net/wiki/pages/1');
    expect(e.prevented).toBe(true);
    openUrl(click(), '/browse/OPS-1');
    expect(calls('navigate')).toEqual([
      { url: 'https://example.atlassian.net/wiki/pages/1', type: 'same-tab' },
      { url: '/browse/OPS-1', type: 'new-tab' },
    ]);
  });

  it('go nowhere for an unsafe or missing URL, and still keep the click from the iframe', () => {
    const e = click();
    navigate(e, 'javascript:alert(1)');
    expect(e.prevented).toBe(true);
    const f = click();
    openUrl(f, 'data:text/html,x');
    openUrl(click(), undefined);
    expect(f.prevented).toBe(true);
    expect(bridgeCalls).toEqual([]);
  });

  it('pass a product target on unchanged', () => {
    navigate(click(), { target: 'issue', issueKey: 'OPS-1' });
    expect(calls('navigate')).toEqual([{ target: 'issue', issueKey: 'OPS-1', type: 'same-tab' }]);
  });
});

describe('openIssue', () => {
  it('opens the issue by its absolute URL on the site, the key encoded', async () => {
    setHostContext({ siteUrl: 'https://example.atlassian.net//' });
    await openIssue('OPS-1');
    await openIssue('OPS-1/../../admin?x=1');
    expect(calls('navigate')).toEqual([
      { url: 'https://example.atlassian.net/browse/OPS-1', type: 'new-tab' },
      { url: 'https://example.atlassian.net/browse/OPS-1%2F..%2F..%2Fadmin%3Fx%3D1', type: 'new-tab' },
    ]);
  });
});

describe('typedInvoke', () => {
  it('turns a bridge that cannot reach the app into a failed Result, not a thrown error', async () => {
    // The test bridge serves no `invoke`: the same as the host failing the call.
    const call = typedInvoke<SettingsDefinitions>();
    await expect(call('getSettings')).resolves.toEqual({ ok: false, error: { code: 'upstream', message: expect.stringMatching(/^Could not reach the app: /) } });
    expect(calls('invoke')).toHaveLength(1);
  });
});
