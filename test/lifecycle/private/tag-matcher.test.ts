// Tag matching as ECR documents it: prefixes are starts-with, patterns are anchored globs where `*` is
// any run of characters, several entries are AND (each must match some tag).
import * as fc from 'fast-check';
import * as tagMatcher from '../../../src/lifecycle/private/tag-matcher';

describe('one pattern against one tag', () => {
  test.each([
    ['prod*', 'prod', true],
    ['prod*', 'prod1', true],
    ['prod*', 'production-team1', true],
    ['prod*', 'my-prod', false],
    ['*prod*', 'repo-production', true],
    ['*prod*', 'prod-team', true],
    ['*prod*', 'pro-d', false],
    ['prod', 'prod', true],
    ['prod', 'prod1', false],
    ['prod', 'Prod', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['**', 'x', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['a*b*a', 'aba', true],
    ['a*b*a', 'ab', false],
    ['*test*1*2*3', 'my-test-1-2-3', true],
    ['*test*1*2*3', 'my-test-1-2-3-4', false],
    ['test*1*2*3*', 'test123', true],
    ['v?.*', 'v1.0', false],
    ['v?.*', 'v?.0', true],
    ['1.0.*', '1a0b1', false],
    ['*-sha-*', 'build-sha-abc', true],
    ['x*yz*yz', 'xyzyz', true],
    ['x*yz*yz', 'xyz', false],
  ])('%s vs %s: %s', (pattern, tag, expected) => {
    expect(tagMatcher.matchPattern(pattern)(tag)).toBe(expected);
  });

  test('agrees with an anchored regular expression for any pattern and tag', () => {
    const alphabet = fc.constantFrom('a', 'b', '-', '.', '*');
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '-', '.'), maxLength: 10 }), (pattern, tag) => {
      const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.\-]/g, '\\$&')).join('.*')}$`);
      expect(tagMatcher.matchPattern(pattern)(tag)).toBe(regex.test(tag));
    }), { numRuns: 2000 });
  });
});

describe('lists of prefixes or patterns', () => {
  test('a prefix matches tags that start with it, nothing else', () => {
    const matches = tagMatcher.forPrefixes(['prod']);
    expect(matches(['prod'])).toBe(true);
    expect(matches(['production'])).toBe(true);
    expect(matches(['pre-prod'])).toBe(false);
    expect(matches([])).toBe(false);
  });

  test('a prefix is literal: * in a prefix is not a wildcard', () => {
    expect(tagMatcher.forPrefixes(['v*'])(['v1'])).toBe(false);
    expect(tagMatcher.forPrefixes(['v*'])(['v*1'])).toBe(true);
  });

  test('several prefixes: every prefix must start some tag, extra tags don\'t matter', () => {
    const matches = tagMatcher.forPrefixes(['alpha', 'beta']);
    expect(matches(['alpha-1', 'beta-1', 'gamma-1'])).toBe(true);
    expect(matches(['alpha-1'])).toBe(false);
    expect(matches(['alphabeta'])).toBe(false);
  });

  test('one tag may satisfy several entries', () => {
    expect(tagMatcher.forPrefixes(['a', 'ab'])(['abc'])).toBe(true);
    expect(tagMatcher.forPatterns(['a*', '*c'])(['abc'])).toBe(true);
  });

  test('several patterns: every pattern must match some tag', () => {
    const matches = tagMatcher.forPatterns(['alpha*', 'beta*']);
    expect(matches(['alpha-2', 'beta-2'])).toBe(true);
    expect(matches(['beta-1'])).toBe(false);
    expect(matches([])).toBe(false);
  });
});
