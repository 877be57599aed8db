import { checkWaiverReason, gateDecision, isAtOrAbove, severityOfPriority, type GateFacts } from './workflow-gate';

const facts = (over: Partial<GateFacts> = {}): GateFacts => ({
  issueKey: 'INC-7',
  severity: 'SEV1',
  threshold: 'SEV2',
  postmortems: [],
  incidentUrl: 'https://site.example/browse/INC-7',
  ...over,
});

describe('the workflow gate rule', () => {
  it('orders severities with SEV1 the most severe', () => {
    expect(isAtOrAbove('SEV1', 'SEV2')).toBe(true);
    expect(isAtOrAbove('SEV2', 'SEV2')).toBe(true);
    expect(isAtOrAbove('SEV3', 'SEV2')).toBe(false);
    expect(isAtOrAbove('SEV4', 'SEV4')).toBe(true);
    expect(severityOfPriority('Highest')).toBe('SEV1');
    expect(severityOfPriority(null)).toBe('SEV4');
  });

  it('lets incidents below the threshold through without looking further', () => {
    expect(gateDecision(facts({ severity: 'SEV3' }))).toEqual({ allowed: true, why: 'below-threshold' });
  });

  it('refuses a gated incident with no postmortem, pointing at Create postmortem on the incident', () => {
    const d = gateDecision(facts());
    expect(d.allowed).toBe(false);
    expect(!d.allowed && d.message).toMatch(/INC-7 is a SEV1 incident.*no postmortem yet.*Create postmortem.*https:\/\/site\.example\/browse\/INC-7$/);
  });

  it('refuses while the postmortem is a draft, linking it; a published one or a waiver lets it through', () => {
    const draft = { title: 'Checkout 502s', url: 'https://site.example/wiki/pages/9', published: false };
    const d = gateDecision(facts({ postmortems: [draft] }));
    expect(!d.allowed && d.message).toMatch(/“Checkout 502s” is not published yet: https:\/\/site\.example\/wiki\/pages\/9$/);
    expect(gateDecision(facts({ postmortems: [draft, { ...draft, published: true }] }))).toEqual({ allowed: true, why: 'published' });
    const waiver = { issueKey: 'INC-7', accountId: 'a', displayName: 'Avery', waivedAt: '2026-12-01T10:00:00.000Z', reason: 'Duplicate of INC-6' };
    expect(gateDecision(facts({ waiver }))).toEqual({ allowed: true, why: 'waived' });
  });

  it('asks for a real reason to waive', () => {
    expect(checkWaiverReason(undefined).ok).toBe(false);
    expect(checkWaiverReason('  ok ').ok).toBe(false);
    expect(checkWaiverReason('x'.repeat(501)).ok).toBe(false);
    expect(checkWaiverReason('  Duplicate\n of INC-6 ')).toEqual({ ok: true, reason: 'Duplicate of INC-6' });
  });
});
