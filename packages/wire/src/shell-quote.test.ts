import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote, shellWord } from './shell-quote.js';

/** What `sh` makes of the words: printf prints each argument back unchanged, NUL-terminated. */
function throughShell(words: readonly string[]): string[] {
  return execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.join(' ')}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

const shellSpecial = [...`'"\\$\`!*?[]{}()<>|&;~#= \t\n-%,.:/@+^`];
/** Text heavy in what `sh` treats specially, with any other character mixed in (no NUL: argv cannot hold it). */
const text = fc.string({ unit: fc.oneof(fc.constantFrom(...shellSpecial), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 20 }).filter((value) => !value.includes('\0'));
/** Several words per `sh` run, to keep the test quick. */
const values = fc.array(text, { minLength: 1, maxLength: 20 });

describe('words for sh', () => {
  it('shellQuote: sh reads back exactly the value', () => {
    fc.assert(
      fc.property(values, (list) => {
        expect(throughShell(list.map(shellQuote))).toEqual(list);
      }),
      { numRuns: 30 },
    );
  });

  it('shellWord: sh reads back exactly the value, and plain words stay bare', () => {
    fc.assert(
      fc.property(values, (list) => {
        expect(throughShell(list.map(shellWord))).toEqual(list);
      }),
      { numRuns: 30 },
    );
    expect(shellWord('env:TOKEN')).toBe('env:TOKEN');
    expect(shellWord('-p')).toBe('-p');
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('')).toBe(`''`);
  });
});
