import type { OptionDefinition } from '../command.js';

/** `-r/--role`, repeatable, shared by user:add and user:update. */
export const roleOption: OptionDefinition = {
  flags: '-r, --role <role>',
  description: 'A role: "admin" or "viewer" for the project, TYPE:ROLE for an environment type (e.g. development:contributor, %:viewer, staging:none). May be repeated or comma-separated.',
  repeatable: true,
};

export interface RoleCommandOptions {
  role?: string[];
  project?: string;
}
