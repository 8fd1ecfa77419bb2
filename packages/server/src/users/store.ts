import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, User } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { ApiError } from '../http/errors.js';

export interface NewAccount {
  email: string;
  passwordHash: string | null;
  isAdmin: boolean;
  firstName?: string;
  lastName?: string;
  emailVerified?: boolean;
}

const RECENT_TTL_MS = 2_000;
const RECENT_MAX = 10_000;

export class UserStore {
  /** Every authenticated request reads its user; a two-second memory keeps that off the database. */
  private readonly recent = new Map<string, { user: User; at: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  findById(id: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The public face of users (no password hashes, no flags), for reference lookups. */
  async referencesByIds(ids: readonly string[]): Promise<Pick<User, 'id' | 'username' | 'email' | 'first_name' | 'last_name'>[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('users').select(['id', 'username', 'email', 'first_name', 'last_name']).where('id', 'in', ids).execute();
  }

  /** Like findById, but may answer from a copy up to two seconds old. For reads only. */
  async findRecentById(id: string): Promise<User | undefined> {
    const now = Date.now();
    const hit = this.recent.get(id);
    if (hit && now - hit.at < RECENT_TTL_MS) return hit.user;
    const user = await this.findById(id);
    if (user) {
      if (this.recent.size >= RECENT_MAX) this.recent.clear();
      this.recent.set(id, { user, at: now });
    }
    return user;
  }

  /** Marks the user deactivated as of `at` and ends their console sessions. */
  async deactivate(userId: string, at: string, executor: Kysely<Database> = this.db): Promise<User> {
    await executor.updateTable('users').set({ deactivated: 1, deactivated_at: at, updated_at: at }).where('id', '=', userId).execute();
    await executor.deleteFrom('sessions').where('user_id', '=', userId).execute();
    this.recent.delete(userId);
    return executor.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  }

  /** Lets the user in again; `deactivated_at` stays, the cut-off for what was issued before. */
  async reactivate(userId: string, at: string, executor: Kysely<Database> = this.db): Promise<User> {
    await executor.updateTable('users').set({ deactivated: 0, updated_at: at }).where('id', '=', userId).execute();
    this.recent.delete(userId);
    return executor.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
  }

  async isAdmin(userId: string): Promise<boolean> {
    const row = await this.db.selectFrom('users').select('is_admin').where('id', '=', userId).executeTakeFirst();
    return row?.is_admin === 1;
  }

  /** The first instance admin (the instance organization's owner), if there is one yet. */
  firstAdmin(): Promise<Pick<User, 'id' | 'created_at'> | undefined> {
    return this.db.selectFrom('users').select(['id', 'created_at']).where('is_admin', '=', 1).orderBy('created_at', 'asc').executeTakeFirst();
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
  }

  async countAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('is_admin', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async create(account: NewAccount, executor: Kysely<Database> = this.db): Promise<User> {
    const email = normaliseEmail(account.email);
    if (await executor.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) throw new ApiError('conflict', `A user with the e-mail address ${email} already exists.`);
    const now = isoNow();
    const user: User = {
      id: uuidv7(),
      username: await this.freeUsername(executor, email),
      email,
      first_name: account.firstName ?? '',
      last_name: account.lastName ?? '',
      password_hash: account.passwordHash,
      is_admin: account.isAdmin ? 1 : 0,
      email_verified: account.emailVerified ? 1 : 0,
      deactivated: 0,
      deactivated_at: null,
      created_at: now,
      updated_at: now,
    };
    await executor.insertInto('users').values(user).execute();
    return user;
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    this.recent.delete(userId);
    await this.db.updateTable('users').set({ password_hash: passwordHash, updated_at: isoNow() }).where('id', '=', userId).execute();
  }

  /** Usernames come from the e-mail's local part, made unique with a numeric suffix. */
  private async freeUsername(executor: Kysely<Database>, email: string): Promise<string> {
    const base = (email.split('@')[0] ?? 'user').toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 40) || 'user';
    const taken = new Set(
      (await executor.selectFrom('users').select('username').where('username', 'like', `${base}%`).execute()).map((r) => r.username),
    );
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
