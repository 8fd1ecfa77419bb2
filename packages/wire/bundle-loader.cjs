'use strict';
/**
 * Loads a CommonJS bundle (the CLI's `cli.cjs`, the server's `pier-server.cjs`) with V8's code
 * cache beside it (`<bundle>.v8cache`). Compiling the bundle is most of a start's CPU on Node 20,
 * which has no `module.enableCompileCache` (Node 22 has); with the cache, V8 deserialises the
 * compiled code instead (bench/cli-start, bench/server-start). Each package's build runs its
 * bundle's start-up paths once in-process and saves the cache with `saveCodeCache`. A cache that
 * does not match this Node/V8, or none at all, is rejected by V8, which then compiles as usual.
 *
 * Plain CommonJS, not compiled: the packages' `bin/` entries require it before any bundle exists.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { wrap, createRequire } = require('node:module');

/** Where the code cache of `bundleFile` lives. */
function codeCacheFile(bundleFile) {
  return `${bundleFile}.v8cache`;
}

/** Compiles and runs the bundle as a module; `script` is kept so a build can save its cache. */
function loadBundle(bundleFile) {
  const source = fs.readFileSync(bundleFile, 'utf8');
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile(bundleFile));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(source), { filename: bundleFile, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return { exports: module.exports, script };
}

/** Saves what V8 compiled of the bundle so far (call after running its start-up paths). */
function saveCodeCache(bundleFile, script) {
  fs.writeFileSync(codeCacheFile(bundleFile), script.createCachedData());
}

module.exports = { loadBundle, saveCodeCache };
