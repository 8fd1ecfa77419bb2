import { describe, expect, it } from 'vitest';
import { toDateFnsPattern } from './php-date-format.js';

describe('--date-fmt takes PHP date() formats', () => {
  it('maps letters and keeps the rest literal', () => {
    expect(toDateFnsPattern('Y-m-d H:i:s')).toBe("yyyy'-'MM'-'dd' 'HH':'mm':'ss");
    expect(toDateFnsPattern('c')).toBe("yyyy-MM-dd'T'HH:mm:ssxxx");
    expect(toDateFnsPattern('U')).toBe('t');
  });
  it('treats backslash-escaped letters and quotes as literals', () => {
    expect(toDateFnsPattern("\\Y Y 'o'")).toBe("'Y 'yyyy' '''RRRR''''");
  });
});
