import { requiredGroup } from './match-group';

describe('requiredGroup', () => {
  it('gives the text of a group that took part in the match', () => {
    const m = /^(\w+): (.*)$/.exec('alice: hello')!;
    expect(requiredGroup(m, 1)).toBe('alice');
    expect(requiredGroup(m, 2)).toBe('hello');
  });

  it('throws, naming the group, when the pattern left it out (an optional group used as a required one)', () => {
    const m = /^(\w+)(?: at (\d+))?$/.exec('alice')!;
    expect(() => requiredGroup(m, 2)).toThrow('Capture group 2 took no part in the match');
  });
});
