import path from 'node:path';
import { shellWord } from '@pier/wire';
import type { SandboxAvailability } from '@pier/runtime';
import type { AdminBootstrap } from '../users/bootstrap.js';
import { folderAbove } from '../package-dir.js';

export interface BannerFacts {
  url: string;
  admin: AdminBootstrap;
  sandbox: SandboxAvailability;
  publicUrlWarning: string | undefined;
  /** Where `/metrics` is served, if anywhere. */
  metrics: string | undefined;
}

/**
 * What a person sees when the server starts: where it runs, how to log in, and commands to copy —
 * which must work as printed, in the shell that started the server: through `npx` (npm puts no
 * workspace command on the PATH), with the settings that locate this instance's data.
 */
export function startBanner(facts: BannerFacts, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const { url, admin, sandbox } = facts;
  const lines = [``, `Pier is running at ${url}`, ``];
  if (!sandbox.available) lines.push(`User code (hooks, crons, source operations, SSH sessions) will not run: ${sandbox.problem}.`, ``);
  if (facts.publicUrlWarning) lines.push(`WARNING: ${facts.publicUrlWarning}`, ``);
  if (admin.generatedPassword) {
    lines.push(
      `An instance admin was created. Log in with:`,
      `  e-mail:   ${admin.email}`,
      `  password: ${admin.generatedPassword}   (shown once; set PIER_ADMIN_PASSWORD to choose it)`,
    );
  } else if (admin.created) {
    lines.push(`An instance admin was created: ${admin.email} (password from PIER_ADMIN_PASSWORD).`);
  } else {
    lines.push(`Log in as an instance admin (e.g. ${admin.email}).`);
  }
  const { prefix, secretsNote } = adminCommandSettings(env, cwd);
  lines.push(
    ``,
    `API token for automation${secretsNote}:`,
    `  ${prefix}npx pier-server user:create-token ${shellWord(admin.email)} --name ci`,
    `Then:`,
    `  ${installRootPrefix(cwd)}PIER_CLI_TOKEN=<token> PIER_CLI_API_URL=${url} npx pier auth:info`,
  );
  if (facts.metrics) lines.push(``, `Metrics: ${facts.metrics}`);
  lines.push(``);
  return lines.join('\n') + '\n';
}

/** The settings an admin command needs to reach this instance, as a shell prefix. */
function adminCommandSettings(env: NodeJS.ProcessEnv, cwd: string): { prefix: string; secretsNote: string } {
  const assignments: string[] = [];
  const unprintable: string[] = [];
  if (env.PIER_DATA_DIR && path.resolve(cwd, env.PIER_DATA_DIR) !== path.resolve(cwd, '.pier-data')) {
    assignments.push(`PIER_DATA_DIR=${shellWord(path.resolve(cwd, env.PIER_DATA_DIR))}`);
  }
  if (env.PIER_VENDOR && env.PIER_VENDOR !== 'pier') assignments.push(`PIER_VENDOR=${shellWord(env.PIER_VENDOR)}`);
  if (env.DATABASE_URL) {
    // A URL with a password is a secret: never printed.
    if (new URL(env.DATABASE_URL).password) unprintable.push('DATABASE_URL');
    else assignments.push(`DATABASE_URL=${shellWord(env.DATABASE_URL)}`);
  }
  if (env.PIER_SECRETS_KEY) unprintable.push('PIER_SECRETS_KEY');
  const secretsNote = unprintable.length > 0 ? ` (with this server's ${unprintable.join(' and ')} set)` : '';
  return { prefix: installRootPrefix(cwd) + assignments.map((a) => `${a} `).join(''), secretsNote };
}

/**
 * `npx` runs the installed command only inside the installation; elsewhere it would look the
 * name up in the npm registry. Outside it, the commands start with a `cd`.
 */
function installRootPrefix(cwd: string): string {
  const root = installRoot();
  if (!root) return '';
  const relative = path.relative(root, cwd);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative)) ? '' : `cd ${shellWord(root)} && `;
}

function installRoot(): string | undefined {
  return folderAbove(path.join('node_modules', '.bin', 'pier-server'));
}
