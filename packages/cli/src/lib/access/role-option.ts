import { list } from '../command.js';

/** `-r/--role`, repeatable, shared by user:add and user:update. */
export const roleOption = list(
  '-r, --role <role>',
  'A role: "admin" or "viewer" for the project, TYPE:ROLE for an environment type (e.g. development:contributor, %:viewer, staging:none). May be repeated or comma-separated.',
);
