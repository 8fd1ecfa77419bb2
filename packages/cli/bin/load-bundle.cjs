'use strict';
/**
 * Entry shared by bin/pier.cjs and bin/platform.cjs. Two start-up savings, both measured by
 * bench/cli-start:
 * - `--version` is answered from the line build.mjs saved, without loading the bundle.
 * - The bundle is compiled with V8's code cache. Compiling ~300 KB of JavaScript is most of the
 *   remaining start-up cost on Node 20 (which has no module.enableCompileCache); build.mjs runs
 *   the bundle once and saves the compiled code next to it. If the cache does not match this
 *   Node/V8 (or is missing), V8 rejects it and compiles as usual.
 */
const fs = require('node:fs');
const path = require('node:path');

const bundleDir = path.join(__dirname, '..', 'dist', 'bundle');
const bundleFile = path.join(bundleDir, 'cli.cjs');
const cacheFile = `${bundleFile}.v8cache`;
const versionLinesFile = path.join(bundleDir, 'version-lines.json');

function compileBundle() {
  const vm = require('node:vm');
  const { wrap, createRequire } = require('node:module');
  const source = fs.readFileSync(bundleFile, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), { filename: bundleFile, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, bundleDir);
  return { exports: module.exports, script };
}

function run(profileId) {
  const args = process.argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    try {
      const line = JSON.parse(fs.readFileSync(versionLinesFile, 'utf8'))[profileId];
      if (typeof line === 'string') {
        fs.writeSync(1, `${line}\n`);
        return;
      }
    } catch {
      // no saved line (partial build): the bundle answers below
    }
  }
  compileBundle().exports.main(profileId);
}

module.exports = { run, compileBundle, cacheFile, versionLinesFile };
