/**
 * The `pier-server` command line: arguments and an environment in, an exit code out, every word
 * written through `output`. `main.ts` runs it with the process's own; tests run the same commands
 * in process (`runServerCommand`). Only the long-running `serve`, `api` and `worker` reach for
 * `process` itself, to stop on a signal.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logging.js';
import type { CommandOutput } from './operations/command-output.js';

const usage = `Usage: pier-server [command]

Commands:
  serve (default)                         Start the API server and the activity worker
  api                                     Start the API server only (workers run elsewhere)
  worker                                  Run only the activity worker (several may share one PostgreSQL)
  user:create EMAIL [--admin]             Create a user; prints a generated password once
  user:create-token EMAIL --name NAME     Create an API token for a user; prints only the token
                  [--expires-in DAYS]
  user:deactivate EMAIL                   Cut every credential of a user at once, on every node
  user:reactivate EMAIL                   Let a deactivated user in again (earlier credentials stay dead)
  migrate [--dry-run]                     Apply pending database migrations (--dry-run: list them)
  backup FILE                             Write a consistent archive of this installation (while it runs)
  restore FILE                            Restore such an archive into an empty PIER_DATA_DIR (and database)
  openapi [FILE]                          Write the OpenAPI document (stdout when no FILE)
  ssh-gateway                             Run OpenSSH's sshd as the SSH/git gateway (as root, beside a running server)

Configuration comes from environment variables: PIER_DATA_DIR, DATABASE_URL, PORT, HOST,
PIER_PUBLIC_URL, PIER_VENDOR, PIER_ADMIN_EMAIL, PIER_ADMIN_PASSWORD, PIER_LOG_LEVEL ...`;

/** What the binary runs: the exit code, or -1 while a server keeps running. */
export async function runCommandLine(argv: string[], { env, output }: { env: NodeJS.ProcessEnv; output: CommandOutput }): Promise<number> {
  try {
    return await dispatch(argv, env, output);
  } catch (error) {
    return exitCodeFor(error, output);
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, output: CommandOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      admin: { type: 'boolean', default: false },
      name: { type: 'string' },
      'expires-in': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command = 'serve', ...rest] = positionals;
  if (values.help) {
    output.stdout(usage + '\n');
    return 0;
  }
  const config = loadConfig(env);
  switch (command) {
    case 'serve':
    case 'api':
    case 'worker': {
      const logger = createLogger(config.logLevel, config.operations.logFormat);
      // Commands import what they need when they run.
      const running =
        command === 'worker'
          ? await (await import('./worker-process.js')).startWorkerOnly(config, logger)
          : await (await import('./server.js')).startServer(command === 'api' ? { ...config, runWorker: false } : config, logger, output);
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return -1;
    }
    case 'user:create':
      return (await import('./admin-commands.js')).createUserCommand(config, requireArgument(rest[0], 'EMAIL'), values.admin, output);
    case 'user:create-token': {
      const { createTokenCommand } = await import('./admin-commands.js');
      return createTokenCommand(config, requireArgument(rest[0], 'EMAIL'), requireArgument(values.name, '--name'), values['expires-in'], output);
    }
    case 'user:deactivate':
    case 'user:reactivate':
      return (await import('./admin-commands.js')).setUserActiveCommand(config, requireArgument(rest[0], 'EMAIL'), command === 'user:reactivate', output);
    case 'migrate':
      return (await import('./operations/migrate-command.js')).migrateCommand(config, values['dry-run'], output);
    case 'backup':
      return (await import('./instance-backup/backup-command.js')).backupCommand(config, requireArgument(rest[0], 'FILE'), output);
    case 'restore':
      return (await import('./instance-backup/restore-command.js')).restoreCommand(config, requireArgument(rest[0], 'FILE'), output);
    case 'ssh-gateway':
      return (await import('./ssh/gateway-cli.js')).sshGatewayCommand(config);
    case 'openapi': {
      const document = await (await import('./openapi/export.js')).exportOpenApi(config);
      if (rest[0]) fs.writeFileSync(rest[0], document);
      else output.stdout(document);
      return 0;
    }
    default:
      output.stderr(`Unknown command: ${command}\n\n${usage}\n`);
      return 2;
  }
}

function requireArgument(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`Missing ${name}.`);
  return value;
}

class UsageError extends Error {}


/** Refusals that say what to do print their message alone; anything else says the command failed. */
function exitCodeFor(error: unknown, output: CommandOutput): number {
  if (error instanceof ConfigError || error instanceof UsageError) {
    output.stderr(`${error.message}\n`);
    return 2;
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS')) {
    output.stderr(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (error instanceof Error && ['NewerSchemaError', 'BackupRefused', 'NotABackup'].includes(error.name)) {
    output.stderr(`${error.message}\n`);
    return 1;
  }
  output.stderr(`pier-server failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
