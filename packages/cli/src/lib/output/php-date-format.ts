import { format as formatWithDateFns } from 'date-fns';

/**
 * `--date-fmt` takes PHP date() formats because that is what Platform.sh users already pass
 * (`--date-fmt 'Y-m-d H:i'`). Each PHP letter maps to a date-fns pattern; anything else is
 * literal, and `\x` escapes a letter as in PHP.
 */
const phpToDateFns: Record<string, string> = {
  d: 'dd', D: 'EEE', j: 'd', l: 'EEEE', N: 'i', w: 'e', z: 'D', W: 'II',
  F: 'MMMM', m: 'MM', M: 'MMM', n: 'M',
  o: 'RRRR', Y: 'yyyy', y: 'yy',
  a: 'aaa', A: 'a', g: 'h', G: 'H', h: 'hh', H: 'HH', i: 'mm', s: 'ss', v: 'SSS', u: 'SSSSSS',
  O: 'xx', P: 'xxx', p: 'XXX', T: 'zzz',
  c: "yyyy-MM-dd'T'HH:mm:ssxxx", r: 'EEE, dd MMM yyyy HH:mm:ss xx', U: 't',
};

export function toDateFnsPattern(php: string): string {
  let pattern = '';
  let literal = '';
  const flush = () => {
    if (literal) pattern += `'${literal.replace(/'/g, "''")}'`;
    literal = '';
  };
  for (let index = 0; index < php.length; index++) {
    const char = php[index] as string;
    if (char === '\\' && index + 1 < php.length) {
      literal += php[++index];
      continue;
    }
    const mapped = phpToDateFns[char];
    if (mapped === undefined) {
      literal += char;
      continue;
    }
    flush();
    pattern += mapped;
  }
  flush();
  return pattern;
}

/** Formats an ISO date string; values that are not dates are returned unchanged. */
export function formatDate(value: string, phpFormat: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return formatWithDateFns(date, toDateFnsPattern(phpFormat));
}
