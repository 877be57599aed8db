/** The pure rules behind issue 12: site links, the owner rule, list limits, the SMTP password's server. */
import { pageLink, sameSiteUrl } from './site-links';
import { isProtectedOwnerChange, ownerChangeRefusal, withOwnerChange } from './owner-rule';
import { additionRefusal, listErrors } from './list-limits';
import { effectivePasswordChange } from './smtp-password-rule';
import { newPostmortem } from './postmortem-defaults';
import type { Postmortem } from '../contract/postmortem';

const SITE = 'https://acme.atlassian.net';

describe('site links', () => {
  it.each([
    ['javascript:alert(1)', undefined],
    ['data:text/html,<script>alert(1)</script>', undefined],
    ['https://evil.example/wiki/pages/1', undefined],
    ['https://acme.atlassian.net.evil.example/wiki', undefined],
    ['https://user:pw@acme.atlassian.net/wiki', undefined],
    ['http://acme.atlassian.net/wiki/pages/1', undefined],
    ['//acme.atlassian.net/wiki/pages/1', undefined],
    ['/wiki/pages/1', undefined],
    ['https://acme.atlassian.net/wiki/spaces/ENG/pages/1/Title', 'https://acme.atlassian.net/wiki/spaces/ENG/pages/1/Title'],
  ])('%s on the site → %s', (url, expected) => expect(sameSiteUrl(url, SITE)).toBe(expected));

  it('rebuilds page links from ids only', () => {
    expect(pageLink(SITE, '65538')).toBe('https://acme.atlassian.net/wiki/pages/65538');
    expect(pageLink(SITE, '1/../../evil')).toBeUndefined();
    expect(pageLink('javascript:alert(1)', '1')).toBeUndefined();
  });
});

describe('owner rule', () => {
  const avery = { kind: 'user' as const, id: 'avery', displayName: 'Avery' };
  const eden = { kind: 'user' as const, id: 'eden', displayName: 'Eden' };
  const pm = (status: Postmortem['status'], incidentOwner = avery): Postmortem => ({ ...newPostmortem({ title: 'T', actionItemProjectKey: 'OPS', actionItemIssueType: 'Task' } as never), status, incidentOwner });

  it('protects the owner from in review on, and lets the owner or an admin change it', () => {
    expect(isProtectedOwnerChange(pm('draft'), pm('draft', eden))).toBe(false);
    expect(isProtectedOwnerChange(pm('in-review'), pm('in-review', { ...avery, displayName: 'A. Admin' }))).toBe(false);
    for (const s of ['in-review', 'reviewed', 'published'] as const) expect(isProtectedOwnerChange(pm(s), pm(s, eden))).toBe(true);
    expect(ownerChangeRefusal(pm('reviewed'), { accountId: 'eden', isAdmin: false })).toMatch(/only its incident owner \(Avery\) or an admin/);
    expect(ownerChangeRefusal(pm('reviewed'), { accountId: 'avery', isAdmin: false })).toBeUndefined();
    expect(ownerChangeRefusal(pm('reviewed'), { accountId: 'eden', isAdmin: true })).toBeUndefined();
    expect(ownerChangeRefusal({ ...pm('reviewed'), incidentOwner: null }, { accountId: 'eden', isAdmin: false })).toBeUndefined();
    const change = { at: '2026-11-01T00:00:00Z', byAccountId: 'avery', byName: 'Avery', from: avery, to: eden };
    expect(withOwnerChange(Array.from({ length: 100 }, () => change), { ...change, byName: 'last' })).toHaveLength(100);
  });
});

describe('list limits', () => {
  it('refuses an addition past the limit, saying it', () => {
    expect(additionRefusal({ one: 'entry', many: 'entries', in: 'A timeline' }, 12, 488, 500)).toBeUndefined();
    expect(additionRefusal({ one: 'entry', many: 'entries', in: 'A timeline' }, 12, 600, 500)).toBe('A timeline holds at most 500 entries; this would make 612 (it has 12, so at most 488 more). Nothing was added.');
    expect(additionRefusal({ one: 'tag', many: 'tags', in: 'A postmortem' }, 30, 1, 30)).toMatch(/it has 30, the most it can hold/);
  });

  it('finds the errors of one list that its rows do not show', () => {
    const errors = { timeline: 'Too many.', 'timeline.3.text': 'Too long.', 'timeline.4.kind': 'Unknown kind.', tags: 'x', 'timelineX': 'other' };
    expect(listErrors(errors, 'timeline', (k) => /\.text$/.test(k))).toEqual([
      { key: 'timeline', index: null, message: 'Too many.' },
      { key: 'timeline.4.kind', index: 4, message: 'Unknown kind.' },
    ]);
  });
});

describe('the SMTP password follows no new server', () => {
  const at = { smtpHost: 'smtp.example.com', smtpPort: 587 };
  it('clears on a new host or port unless a new password comes with it', () => {
    expect(effectivePasswordChange(at, { ...at, smtpPort: 2525 }, undefined, true)).toEqual({ clear: true });
    expect(effectivePasswordChange(at, { ...at, smtpHost: 'evil.example' }, undefined, true)).toEqual({ clear: true });
    expect(effectivePasswordChange(at, { ...at, smtpHost: 'evil.example' }, { set: 'new' }, true)).toEqual({ set: 'new' });
    expect(effectivePasswordChange(at, { ...at, smtpHost: 'SMTP.example.com ' }, undefined, true)).toBeUndefined();
    expect(effectivePasswordChange(at, { ...at, smtpPort: 2525 }, undefined, false)).toBeUndefined();
  });
});
