import type { CommandModule } from '../lib/command.js';

/**
 * Canonical command name → loader. `main` loads only the module a run needs, so start-up cost
 * does not grow with the number of commands; `list`, `help`, completion and aliases load all.
 * A test checks that each key equals its module's `definition.name`.
 */
export const commandLoaders: Record<string, () => Promise<CommandModule>> = {
  'api-token:create': () => import('./api-token/create.js'),
  'api-token:delete': () => import('./api-token/delete.js'),
  'api-token:list': () => import('./api-token/list.js'),
  'auth:api-token-login': () => import('./auth/api-token-login.js'),
  'auth:info': () => import('./auth/info.js'),
  'auth:logout': () => import('./auth/logout.js'),
  'auth:token': () => import('./auth/token.js'),
  completion: () => import('./completion.js'),
  help: () => import('./help.js'),
  list: () => import('./list.js'),
};

export async function loadAllCommands(): Promise<CommandModule[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
