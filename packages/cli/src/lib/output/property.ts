import { CliError } from '../errors.js';
import type { Io } from '../io.js';
import { cellText } from './render.js';

/** `-P/--property` (or a `[property]` argument): one value alone on stdout, raw, for scripts. */
export function printProperty(io: Io, properties: Readonly<Record<string, unknown>>, property: string): void {
  if (!(property in properties)) {
    throw new CliError('usage', `Property not found: ${property} (available properties: ${Object.keys(properties).join(', ')})`);
  }
  io.data(`${cellText(properties[property])}\n`);
}
