import type { Config } from './config.js';
import { createLogger } from './logging.js';
import { createServices, type Services } from './services.js';
import { generatePassword } from './users/passwords.js';
import { ApiError } from './http/errors.js';
import type { Actor } from './audit/audit-log.js';
import { deactivateUser, reactivateUser } from './users/deactivation.js';
import { expiryForNewToken } from './auth/api-token-lifetime.js';
import type { CommandOutput } from './operations/command-output.js';

/** Scriptable bootstrap for automation, like `gitea admin user generate-access-token`. */
async function withServices<T>(config: Config, run: (services: Services) => Promise<T>): Promise<T> {
  const services = await createServices(config, createLogger('warn'));
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

export async function createUserCommand(config: Config, email: string, admin: boolean, output: CommandOutput): Promise<number> {
  return withServices(config, async (services) => {
    const password = generatePassword();
    try {
      const user = await services.users.create({ email, passwordHash: await services.passwords.hash(password), isAdmin: admin, emailVerified: true });
      output.stdout(`Created ${admin ? 'instance admin' : 'user'} ${user.email} (id ${user.id}).\nPassword (shown once): ${password}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        output.stderr(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
  });
}

const MAX_TOKEN_DAYS = 36_500;

export async function createTokenCommand(config: Config, email: string, name: string, expiresInDays: string | undefined, output: CommandOutput): Promise<number> {
  let expiresAt: string | null = null;
  if (expiresInDays !== undefined) {
    // A hundred years is more than any token needs and keeps the date within what Date can hold.
    if (!/^\d+$/.test(expiresInDays) || Number(expiresInDays) < 1 || Number(expiresInDays) > MAX_TOKEN_DAYS) {
      output.stderr(`--expires-in takes a whole number of days from 1 to ${MAX_TOKEN_DAYS}.\n`);
      return 2;
    }
    expiresAt = new Date(Date.now() + Number(expiresInDays) * 86_400_000).toISOString();
  }
  return withServices(config, async (services) => {
    const user = await services.users.findByEmail(email);
    if (!user) {
      output.stderr(`No user with the e-mail address ${email}.\n`);
      return 1;
    }
    try {
      const capped = expiryForNewToken(expiresAt === null ? null : new Date(expiresAt), config.apiTokenMaxLifetime);
      const created = await services.apiTokens.create(user.id, name, capped?.toISOString() ?? null);
      output.stdout(`${created.token}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ApiError) {
        output.stderr(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
  });
}

/** `user:deactivate` / `user:reactivate`: the same change as the API's, recorded as the system's. */
export async function setUserActiveCommand(config: Config, email: string, active: boolean, output: CommandOutput): Promise<number> {
  return withServices(config, async (services) => {
    const user = await services.users.findByEmail(email);
    if (!user) {
      output.stderr(`No user with the e-mail address ${email}.\n`);
      return 1;
    }
    const actor: Actor = { userId: null, email: null, authMethod: 'system', apiTokenId: null, apiTokenName: null, clientIp: null };
    if (active) await reactivateUser(services, user, actor);
    else await deactivateUser(services, user, actor);
    output.stdout(`${active ? 'Reactivated' : 'Deactivated'} ${user.email} (id ${user.id}).\n`);
    return 0;
  });
}
