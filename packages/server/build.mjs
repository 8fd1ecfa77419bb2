// Bundles what `pier-server` runs into one CommonJS file, dist/bundle/pier-server.cjs. Loading
// the ~600 modules of dist/ and node_modules one by one cost a start more than a second of CPU
// (resolving, reading and compiling each); the bundle is read and compiled at once. Commands
// reached through dynamic import() become lazily initialised sections of the same file.
// Identifiers are kept, so stack traces in the logs stay readable; the source map is beside it.
// Then it warms V8's code cache for the bundle (see @pier/wire/bundle-loader).
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const bundleFile = path.resolve('dist/bundle/pier-server.cjs');

await build({
  entryPoints: ['dist/main.js'],
  outfile: bundleFile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  // A native addon, and pg's optional native driver (not installed).
  external: ['better-sqlite3', 'pg-native'],
  // The modules are ES modules; in CommonJS `import.meta.url` is the bundle's own URL.
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': 'importMetaUrl' },
  logLevel: 'warning',
});

// `openapi` builds the services (a scratch SQLite database, migrated) and the whole app, as every
// start does: run in-process, it leaves compiled what a start compiles, and the cache keeps it.
const { loadBundle, saveCodeCache } = createRequire(import.meta.url)('@pier/wire/bundle-loader');
const { exports: server, script } = loadBundle(bundleFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pier-build-'));
try {
  const discard = () => undefined;
  const code = await server.runCommandLine(['openapi', path.join(scratch, 'openapi.json')], {
    env: { PATH: process.env.PATH ?? '', PIER_DATA_DIR: scratch },
    output: { stdout: discard, stderr: (text) => process.stderr.write(text) },
  });
  if (code !== 0) throw new Error(`warming the code cache: pier-server openapi exited with ${code}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
saveCodeCache(bundleFile, script);
