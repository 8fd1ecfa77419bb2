import type { Migration, MigrationProvider } from 'kysely';
import * as accountsAndTokens from './0001-accounts-and-tokens.js';
import * as projectsAccessAudit from './0002-projects-access-audit.js';
import * as variables from './0003-variables.js';
import * as activitiesBackups from './0004-activities-backups.js';
import * as activityDedupe from './0005-activity-dedupe.js';
import * as sandboxAccounts from './0006-sandbox-accounts.js';
import * as sealedActivityInput from './0007-sealed-activity-input.js';
import * as machineCredentials from './0008-machine-credentials.js';

/** Migrations are listed in code (not read from disk) so the bundled server carries them. */
const migrations: Record<string, Migration> = {
  '0001-accounts-and-tokens': accountsAndTokens,
  '0002-projects-access-audit': projectsAccessAudit,
  '0003-variables': variables,
  '0004-activities-backups': activitiesBackups,
  '0005-activity-dedupe': activityDedupe,
  '0006-sandbox-accounts': sandboxAccounts,
  '0007-sealed-activity-input': sealedActivityInput,
  '0008-machine-credentials': machineCredentials,
};

/** In the order they run (Kysely sorts by name). */
export const migrationNames = Object.keys(migrations).sort();

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
