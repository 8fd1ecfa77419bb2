import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { SandboxAccount } from '@pier/runtime';
import type { Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';

/**
 * Hands each environment a UID (and a GID of the same number) of its own from the configured
 * range, once: two environments — let alone two projects — never share one, and a UID is never
 * reused. Concurrent allocations meet the primary key and try the next number.
 */
export class SandboxAccountStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly range: { first: number; last: number },
  ) {}

  async accountFor(projectId: string, environmentId: string): Promise<SandboxAccount> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.find(projectId, environmentId);
      if (existing) return existing;
      const { highest } = await this.db
        .selectFrom('sandbox_accounts')
        .select((eb) => eb.fn.max('uid').as('highest'))
        .where('uid', '>=', this.range.first)
        .where('uid', '<=', this.range.last)
        .executeTakeFirstOrThrow();
      const uid = nextFree(highest === null ? this.range.first : Number(highest) + 1, hostAccounts());
      if (uid > this.range.last) throw new Error(`No UID left in PIER_SANDBOX_UIDS (${this.range.first}-${this.range.last}).`);
      await this.db
        .insertInto('sandbox_accounts')
        .values({ uid, project_id: projectId, environment_id: environmentId, created_at: isoNow() })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    throw new Error(`Could not allocate a UID for ${projectId}/${environmentId}.`);
  }

  async find(projectId: string, environmentId: string): Promise<SandboxAccount | undefined> {
    const row = await this.db.selectFrom('sandbox_accounts').select('uid').where('project_id', '=', projectId).where('environment_id', '=', environmentId).executeTakeFirst();
    return row ? { uid: Number(row.uid), gid: Number(row.uid) } : undefined;
  }
}

function nextFree(candidate: number, taken: ReadonlySet<number>): number {
  let uid = candidate;
  while (taken.has(uid)) uid++;
  return uid;
}

/** UIDs and GIDs the host already uses: an environment never gets one of them. */
function hostAccounts(): Set<number> {
  const taken = new Set<number>();
  for (const file of ['/etc/passwd', '/etc/group']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const id = Number(line.split(':')[2]);
      if (Number.isInteger(id)) taken.add(id);
    }
  }
  return taken;
}
