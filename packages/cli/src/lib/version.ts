declare const __PIER_CLI_VERSION__: string | undefined;

/** Injected by the esbuild bundle (build.mjs) from package.json. */
export const CLI_VERSION: string = typeof __PIER_CLI_VERSION__ === 'string' ? __PIER_CLI_VERSION__ : '0.0.0-dev';
