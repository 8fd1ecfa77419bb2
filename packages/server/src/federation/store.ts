import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, TrustPolicyRow } from '../db/schema.js';
import { isoNow } from '../db/time.js';
import { isUniqueViolation } from '../db/errors.js';
import { ApiError } from '../http/errors.js';
import { serializeTokenScope, type TokenScope } from '../access/token-scope.js';
import type { ClaimConditions } from './claim-conditions.js';

export interface NewTrustPolicy {
  userId: string;
  name: string;
  issuer: string;
  audience: string;
  conditions: ClaimConditions;
  scope: TokenScope | null;
  createdBy: string | null;
}

/** A policy a keyless exchange may match, with what it needs to know about the policy's user. */
export interface CandidatePolicy extends TrustPolicyRow {
  user_deactivated: number;
}

/** The only SQL of the federation domain. */
export class TrustPolicyStore {
  constructor(private readonly db: Kysely<Database>) {}

  list(userId: string): Promise<TrustPolicyRow[]> {
    return this.db.selectFrom('trust_policies').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  }

  find(userId: string, id: string): Promise<TrustPolicyRow | undefined> {
    return this.db.selectFrom('trust_policies').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  }

  async create(policy: NewTrustPolicy): Promise<TrustPolicyRow> {
    const row: TrustPolicyRow = {
      id: uuidv7(),
      user_id: policy.userId,
      name: policy.name,
      issuer: policy.issuer,
      audience: policy.audience,
      conditions: JSON.stringify(policy.conditions),
      scope: serializeTokenScope(policy.scope),
      created_at: isoNow(),
      created_by: policy.createdBy,
    };
    try {
      await this.db.insertInto('trust_policies').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiError('conflict', `A trust policy named "${policy.name}" already exists.`, { field: 'name' });
      throw error;
    }
    return row;
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('trust_policies').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Every policy that trusts this exact issuer, across all users. */
  forIssuer(issuer: string): Promise<CandidatePolicy[]> {
    return this.db
      .selectFrom('trust_policies')
      .innerJoin('users', 'users.id', 'trust_policies.user_id')
      .selectAll('trust_policies')
      .select('users.deactivated as user_deactivated')
      .where('trust_policies.issuer', '=', issuer)
      .orderBy('trust_policies.id')
      .execute();
  }
}
