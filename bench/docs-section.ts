import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/benchmarks.md');

/** "Measured <time> UTC on <n> cores (<cpu>), Node <v>; load average <x>." */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores (${cpu}), Node ${process.version}; load average ${os.loadavg()[0]!.toFixed(2)} (above ~1 the machine was busy with other work).`;
}

/** Replaces (or appends) one `## heading` section of docs/benchmarks.md, leaving the others alone. */
export function recordSection(heading: string, lines: string[]): void {
  const section = [heading, '', ...lines, ''].join('\n');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(heading);
  const end = start === -1 ? -1 : current.indexOf('\n## ', start + heading.length);
  const updated = start === -1 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}${section}${end === -1 ? '' : current.slice(end + 1)}`;
  fs.writeFileSync(file, `${updated.trimEnd()}\n`);
}
