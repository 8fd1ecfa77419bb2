import type { CommandModule } from '../lib/command.js';

/**
 * Canonical command name → loader. `main` loads only the module a run needs, so start-up cost
 * does not grow with the number of commands; `list`, `help`, completion and aliases load all.
 * A test checks that each key equals its module's `definition.name`.
 */
export const commandLoaders: Record<string, () => Promise<CommandModule>> = {
  'activity:cancel': () => import('./activity/cancel.js'),
  'activity:get': () => import('./activity/get.js'),
  'activity:list': () => import('./activity/list.js'),
  'activity:log': () => import('./activity/log.js'),
  'api-token:create': () => import('./api-token/create.js'),
  'api-token:delete': () => import('./api-token/delete.js'),
  'api-token:list': () => import('./api-token/list.js'),
  'api-token:rotate': () => import('./api-token/rotate.js'),
  'audit:list': () => import('./audit/list.js'),
  'auth:api-token-login': () => import('./auth/api-token-login.js'),
  'auth:check': () => import('./auth/check.js'),
  'auth:info': () => import('./auth/info.js'),
  'auth:logout': () => import('./auth/logout.js'),
  'auth:token': () => import('./auth/token.js'),
  'backup:create': () => import('./backup/create.js'),
  'backup:delete': () => import('./backup/delete.js'),
  'backup:get': () => import('./backup/get.js'),
  'backup:list': () => import('./backup/list.js'),
  'backup:restore': () => import('./backup/restore.js'),
  completion: () => import('./completion.js'),
  'cron:list': () => import('./cron/list.js'),
  'cron:run': () => import('./cron/run.js'),
  'environment:activate': () => import('./environment/activate.js'),
  'environment:branch': () => import('./environment/branch.js'),
  'environment:deactivate': () => import('./environment/deactivate.js'),
  'environment:info': () => import('./environment/info.js'),
  'environment:list': () => import('./environment/list.js'),
  'environment:push': () => import('./environment/push.js'),
  'environment:redeploy': () => import('./environment/redeploy.js'),
  'environment:ssh': () => import('./environment/ssh.js'),
  help: () => import('./help.js'),
  list: () => import('./list.js'),
  'project:create': () => import('./project/create.js'),
  'project:get': () => import('./project/get.js'),
  'project:info': () => import('./project/info.js'),
  'project:list': () => import('./project/list.js'),
  'source-operation:list': () => import('./source-operation/list.js'),
  'source-operation:run': () => import('./source-operation/run.js'),
  'ssh-cert:info': () => import('./ssh-cert/info.js'),
  'ssh-cert:load': () => import('./ssh-cert/load.js'),
  'trust-policy:create': () => import('./trust-policy/create.js'),
  'trust-policy:delete': () => import('./trust-policy/delete.js'),
  'trust-policy:list': () => import('./trust-policy/list.js'),
  'user:add': () => import('./user/add.js'),
  'user:deactivate': () => import('./user/deactivate.js'),
  'user:delete': () => import('./user/delete.js'),
  'user:get': () => import('./user/get.js'),
  'user:list': () => import('./user/list.js'),
  'user:reactivate': () => import('./user/reactivate.js'),
  'user:update': () => import('./user/update.js'),
  'variable:create': () => import('./variable/create.js'),
  'variable:delete': () => import('./variable/delete.js'),
  'variable:get': () => import('./variable/get.js'),
  'variable:list': () => import('./variable/list.js'),
  'variable:update': () => import('./variable/update.js'),
};

export async function loadAllCommands(): Promise<CommandModule[]> {
  return Promise.all(Object.values(commandLoaders).map((load) => load()));
}
