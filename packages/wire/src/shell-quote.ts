/** One word for `sh`, whatever it holds: always in single quotes. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Characters `sh` reads literally in a word, so a word made only of them needs no quotes. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * One word for `sh`, left bare when it is plainly safe, else quoted: for commands printed for
 * people to read or copy (`ssh -p 2222 …`, `pier variable:update NAME`).
 */
export function shellWord(value: string): string {
  return PLAIN_WORD.test(value) ? value : shellQuote(value);
}
