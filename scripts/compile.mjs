// Compiles the packages that run from dist/ (wire, api, runtime, server) from TypeScript to
// JavaScript, module by module, with esbuild: about a second, where `tsc -b` took half a minute
// from clean, nearly all of it type-checking. Types are checked, and declarations written, by
// `npm run typecheck` (tsc -b, emitDeclarationOnly); this only strips them, so a type error
// never stops a build, a start or a test run. See docs/decisions.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each package's sources as its tsconfig.json includes them: src/ without tests and test helpers. */
const packages = [
  { name: 'wire', skip: [] },
  { name: 'api', skip: ['test-support/'] },
  { name: 'runtime', skip: [] },
  { name: 'server', skip: ['test-support/'] },
];

function sources(srcDir, skip) {
  return fs
    .readdirSync(srcDir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts') && !skip.some((prefix) => file.startsWith(prefix)))
    .map((file) => path.join(srcDir, file));
}

await Promise.all(
  packages.map(({ name, skip }) => {
    const dir = path.join(root, 'packages', name);
    return build({
      entryPoints: sources(path.join(dir, 'src'), skip),
      outdir: path.join(dir, 'dist'),
      outbase: path.join(dir, 'src'),
      // Module by module: imports stay as written (`./x.js`, `@pier/wire`), as tsc would leave them.
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      tsconfig: path.join(dir, 'tsconfig.json'),
      logLevel: 'warning',
    });
  }),
);
