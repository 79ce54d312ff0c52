import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../../../src/budget/observation/glob.ts';

/** Obviously correct and exponential: fine for the short strings of the property test. */
function reference(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  const [head, rest] = [pattern[0], pattern.slice(1)];
  if (head === '*') return reference(rest, text) || (text !== '' && reference(pattern, text.slice(1)));
  if (text === '') return false;
  return (head === '?' || head === text[0]) && reference(rest, text.slice(1));
}

describe('globMatcher', () => {
  it.each([
    ['orders-api/*', 'orders-api/1.4.2 neo4j-javascript/5.0', true],
    ['orders-api/*', 'orders-api/', true],
    ['orders-api/*', 'billing-api/1.0 neo4j-javascript/5.0', false],
    ['orders-api/*', 'x orders-api/1.4.2', false], // whole-string match
    ['*neo4j-javascript/5.?', 'orders-api/1.4.2 neo4j-javascript/5.0', true],
    ['*neo4j-javascript/5.?', 'orders-api/1.4.2 neo4j-javascript/5.10', false],
    ['orders-api/1.4.?', 'orders-api/1.4.2', true],
    ['orders-api/1.4.?', 'orders-api/1.4.', false],
    ['a.c', 'abc', false], // '.' is literal
    ['a+(b)[c]^$|\\', 'a+(b)[c]^$|\\', true],
    ['a+', 'aa', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['?', '🙂', true], // one character, not one UTF-16 unit
    ['**a**', 'bab', true],
  ])('%j matches %j: %s', (pattern, text, expected) => {
    expect(globMatcher(pattern)(text)).toBe(expected);
  });

  it('stays fast where backtracking explodes', () => {
    const started = performance.now();
    expect(globMatcher('*a'.repeat(30) + 'b')('a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('agrees with a reference matcher on short strings over a tiny alphabet', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '.'), maxLength: 10 }),
        (pattern, text) => {
          expect(globMatcher(pattern)(text)).toBe(reference(pattern, text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
