// Bundles what `pier-server` runs into one CommonJS file, dist/bundle/pier-server.cjs. Loading
// the ~600 modules of dist/ and node_modules one by one cost a start more than a second of CPU
// (resolving, reading and compiling each); the bundle is read and compiled at once. Commands
// reached through dynamic import() become lazily initialised sections of the same file.
// Identifiers are kept, so stack traces in the logs stay readable; the source map is beside it.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/main.js'],
  outfile: 'dist/bundle/pier-server.cjs',
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
