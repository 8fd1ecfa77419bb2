// Bundles the CLI into one CommonJS file. Command modules are reached through dynamic import(),
// which esbuild turns into lazily-initialised sections of the same file: `pier --version` runs
// commander and nothing else, and each command initialises only the modules it touches.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/bundle/cli.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  define: { __PIER_CLI_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
