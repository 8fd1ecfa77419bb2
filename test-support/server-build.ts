import { createRequire } from 'node:module';

// vitest sends `import` in test code through its own loader; Node's `require` (of ES modules, Node ≥ 20.19) does not.
const requireNatively = createRequire(import.meta.url);

/** A module of the built server (`packages/server/dist/<relative>`), loaded by Node itself. */
export const loadServerBuild = <T>(relative: string) => requireNatively(`../packages/server/dist/${relative}`) as T;
