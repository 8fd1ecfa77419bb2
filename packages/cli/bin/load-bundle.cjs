'use strict';
/**
 * Entry shared by bin/pier.cjs and bin/platform.cjs. Two start-up savings, both measured by
 * bench/cli-start:
 * - `--version` is answered from the line build.mjs saved, without loading the bundle.
 * - The bundle is compiled with V8's code cache (@pier/wire/bundle-loader), which build.mjs warms.
 */
const fs = require('node:fs');
const path = require('node:path');
const { loadBundle } = require('@pier/wire/bundle-loader');

const bundleFile = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
const versionLinesFile = path.join(path.dirname(bundleFile), 'version-lines.json');

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
  loadBundle(bundleFile).exports.main(profileId);
}

module.exports = { run, bundleFile, versionLinesFile };
