// Top self-time frames of a V8 .cpuprofile (as written by `node --cpu-prof`), and the same time
// grouped by where the code lives (node internals, a package, Pier's own dist).
// usage: node bench/token-exchange/profile-summary.mjs <file.cpuprofile> [top]
import fs from 'node:fs';
import path from 'node:path';

export function summarizeProfile(file, top = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const byFrame = new Map();
  const byOrigin = new Map();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = nodesById.get(id).callFrame;
    const frame = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + micros);
    const origin = originOf(url, functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + micros);
    total += micros;
  }
  const ranked = (map, count) =>
    [...map]
      .sort((x, y) => y[1] - x[1])
      .slice(0, count)
      .map(([name, micros]) => ({ name, percent: (100 * micros) / total }));
  return { totalMs: total / 1000, frames: ranked(byFrame, top), origins: ranked(byOrigin, 12) };
}

export function formatSummary({ totalMs, frames, origins }) {
  const line = ({ name, percent }) => `  ${percent.toFixed(1).padStart(5)} %  ${name}`;
  return [
    `  sampled ${(totalMs / 1000).toFixed(1)} s`,
    '  top self time by frame:',
    ...frames.map(line),
    '  by origin:',
    ...origins.map(line),
  ].join('\n');
}

function shortUrl(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('packages/');
  if (dist >= 0) return url.slice(dist);
  return url.replace(/^file:\/\//, '');
}

function originOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.split('/')[0] === 'node:internal' ? `node:internal/${url.split('/')[1]}` : url;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.match(/packages\/[^/]+\/dist\/([^/]+)/);
  return dist ? `pier: ${dist[1]}` : url;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(formatSummary(summarizeProfile(file, Number(top ?? 15))) + '\n');
}
