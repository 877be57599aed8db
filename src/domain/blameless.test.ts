import { BLAMELESS_RULES, checkBlameless } from './blameless';

describe('checkBlameless', () => {
  it('returns offsets the editor can highlight, with the why and a rewording', () => {
    const text = 'At 10:42 the alert fired.\nBob forgot to renew the certificate.';
    const [f] = checkBlameless(text);
    expect(f).toEqual({
      start: 26,
      end: 39,
      phrase: 'Bob forgot to',
      rule: 'omission',
      message: BLAMELESS_RULES.omission.message,
      suggestion: BLAMELESS_RULES.omission.suggestion,
    });
    expect(text.slice(f!.start, f!.end)).toBe(f!.phrase); // f: checked just above
  });

  it('finds several findings in text order', () => {
    const text = 'It was human error. Obviously Alice should have checked. Bob broke it.';
    expect(checkBlameless(text).map((f) => [f.rule, f.phrase])).toEqual([
      ['human-error', 'human error'],
      ['hindsight-words', 'Obviously'],
      ['should-have', 'Alice should have'],
      ['person-caused', 'Bob broke'],
    ]);
  });

  it('highlights a full name', () => {
    expect(checkBlameless('Then Alice Smith forgot to page the DBA.').map((f) => f.phrase)).toEqual(['Alice Smith forgot to']);
    expect(checkBlameless('The outage was caused by Alice Smith.').map((f) => f.phrase)).toEqual(['caused by Alice Smith']);
  });

  it('treats an unfamiliar capitalised word at the start of a sentence as a name only when it is known', () => {
    expect(checkBlameless('Ngozi forgot to renew the certificate.')).toEqual([]);
    expect(checkBlameless('Ngozi forgot to renew the certificate.', { knownNames: ['Ngozi Okafor'] }).map((f) => f.rule)).toEqual(['omission']);
    expect(checkBlameless('ngozi forgot to renew it.', { knownNames: ['NGOZI'] }).map((f) => f.rule)).toEqual(['omission']);
    // Mid-sentence, any capitalised word that is not a common word or product counts.
    expect(checkBlameless('Yesterday Ngozi forgot to renew the certificate.').map((f) => f.rule)).toEqual(['omission']);
  });

  it('does not treat products, acronyms or CamelCase as people', () => {
    expect(checkBlameless('At 10:40 PagerDuty failed to deliver the page and AWS failed to scale; Redis broke too.')).toEqual([]);
  });

  it('prefers the specific "should have known" over "should have"', () => {
    expect(checkBlameless('Bob should have known the cache was cold.').map((f) => [f.rule, f.phrase])).toEqual([['should-have-known', 'should have known']]);
  });

  it('keeps one highlight where rules overlap', () => {
    const findings = checkBlameless('Bob simply should have checked.');
    expect(findings.map((f) => [f.rule, f.phrase])).toEqual([['should-have', 'Bob simply should have']]);
  });

  it('handles "blame" carefully', () => {
    expect(checkBlameless('They blamed him for the outage.').map((f) => f.phrase)).toEqual(['blamed him']);
    expect(checkBlameless('Leadership put the blame on Carol.').map((f) => f.phrase)).toEqual(['blame on Carol']);
    expect(checkBlameless('Don’t blame Carol; the alert routing was wrong.')).toEqual([]);
    expect(checkBlameless('We blame the process, not people.')).toEqual([]);
  });

  it('returns nothing for empty text', () => {
    expect(checkBlameless('')).toEqual([]);
  });

  it('has a message and suggestion for every rule', () => {
    for (const rule of Object.values(BLAMELESS_RULES)) {
      expect(rule.message.length).toBeGreaterThan(20);
      expect(rule.suggestion.length).toBeGreaterThan(20);
    }
  });
});
