import { describe, expect, it } from 'vitest';
import { fitColumnWidths } from './render.js';

describe('tables fit the terminal', () => {
  const lines = [
    ['id', 'description'],
    ['01a206e5-0969-7769-afcc-8918ed4a6e04', 'x'.repeat(100)],
  ];
  it('leaves widths alone when the table fits or there is no terminal', () => {
    expect(fitColumnWidths(lines, 200)).toBeUndefined();
    expect(fitColumnWidths(lines, undefined)).toBeUndefined();
  });
  it('shrinks the widest column first, borders included', () => {
    const widths = fitColumnWidths(lines, 80) ?? [];
    expect(widths.reduce((sum, width) => sum + width, 0) + widths.length + 1).toBe(80);
    expect(widths[0]).toBe(38);
  });
});
