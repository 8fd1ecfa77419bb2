// Bundles the CLI into one CommonJS file. Command modules are reached through dynamic import(),
// which esbuild turns into lazily-initialised sections of the same file: `pier --version` runs
// commander and nothing else, and each command initialises only the modules it touches.
// Then it warms V8's code cache for the bundle and saves the --version lines (see
// bin/load-bundle.cjs and @pier/wire/bundle-loader).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';

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
  // Light Headers/Request/Response instead of undici's (see src/lib/fetch-primitives.ts).
  inject: ['src/lib/fetch-primitives.ts'],
  logLevel: 'warning',
});

// Run the start-up paths once in-process (version, listing, help, argument parsing of a command
// without credentials) so the cache holds the functions they compile, not just the top level.
const require = createRequire(import.meta.url);
const { bundleFile, versionLinesFile } = require('./bin/load-bundle.cjs');
const { loadBundle, saveCodeCache } = require('@pier/wire/bundle-loader');
const { exports: cli, script } = loadBundle(bundleFile);
const sink = () => Object.assign(new PassThrough(), { isTTY: false });
const terminal = { stdin: sink(), stdout: sink(), stderr: sink(), env: { PIER_CLI_HOME: '/nonexistent/pier-build', PATH: '' } };
const profile = cli.vendorProfile('pier');
for (const argv of [['--version'], ['list'], ['help', 'auth:info'], ['auth:info', '--no-auto-login']]) {
  await cli.runCli(profile, argv, terminal);
}
saveCodeCache(bundleFile, script);
writeFileSync(versionLinesFile, `${JSON.stringify(cli.versionLines(), null, 2)}\n`);
