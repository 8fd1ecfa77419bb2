#!/usr/bin/env node
// The bundle of dist/main.js that build.mjs makes (see there why).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../dist/bundle/pier-server.cjs');
