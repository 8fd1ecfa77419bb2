#!/usr/bin/env node
// The bundle of dist/main.js that build.mjs makes (see there why), compiled with its code cache.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const { loadBundle } = createRequire(import.meta.url)('@pier/wire/bundle-loader');
loadBundle(fileURLToPath(new URL('../dist/bundle/pier-server.cjs', import.meta.url))).exports.main();
