import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database, Invitation } from '../db/schema.js';
import { isoAfter, isoNow } from '../db/time.js';
import { hashSecret } from '../auth/token-hash.js';
import { toColumns, type AccessLevels } from './permissions.js';

export class InvitationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hmacKey: Buffer,
  ) {}

  /**
   * The token of an invitation's link, derived from its id with the instance key: the database
   * holds only its HMAC, so no usable link is stored, yet project admins can be shown the link
   * again when no mail server delivers it.
   */
  linkToken(invitationId: string): string {
    return createHmac('sha256', this.hmacKey).update(`invitation-link:${invitationId}`).digest('base64url');
  }

  /** The link token of a pending invitation, when this installation issued it (not a token from before). */
  pendingLinkToken(invitation: Invitation): string | undefined {
    if (invitation.state !== 'pending') return undefined;
    const token = this.linkToken(invitation.id);
    return hashSecret(this.hmacKey, token) === invitation.token_hash ? token : undefined;
  }

  /** Creates a pending invitation and returns the token of its link. */
  async create(
    executor: Kysely<Database>,
    input: { projectId: string; email: string; levels: AccessLevels; inviterId: string; ttlSeconds: number },
  ): Promise<{ invitation: Invitation; token: string }> {
    const id = uuidv7();
    const token = this.linkToken(id);
    const now = isoNow();
    const invitation: Invitation = {
      id,
      project_id: input.projectId,
      email: input.email,
      ...toColumns(input.levels),
      state: 'pending',
      token_hash: hashSecret(this.hmacKey, token),
      expires_at: isoAfter(input.ttlSeconds),
      inviter_id: input.inviterId,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    await executor.insertInto('invitations').values(invitation).execute();
    return { invitation, token };
  }

  /** Records an invitation that was fulfilled at once because the e-mail already had an account. */
  async recordDirectGrant(
    executor: Kysely<Database>,
    input: { projectId: string; email: string; levels: AccessLevels; inviterId: string },
  ): Promise<Invitation> {
    const now = isoNow();
    const invitation: Invitation = {
      id: uuidv7(),
      project_id: input.projectId,
      email: input.email,
      ...toColumns(input.levels),
      state: 'accepted',
      token_hash: `direct:${uuidv7()}`,
      expires_at: now,
      inviter_id: input.inviterId,
      created_at: now,
      updated_at: now,
      finished_at: now,
    };
    await executor.insertInto('invitations').values(invitation).execute();
    return invitation;
  }

  findPending(projectId: string, email: string): Promise<Invitation | undefined> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('email', '=', email)
      .where('state', '=', 'pending')
      .executeTakeFirst();
  }

  find(projectId: string, id: string): Promise<Invitation | undefined> {
    return this.db.selectFrom('invitations').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  }

  findByToken(token: string): Promise<Invitation | undefined> {
    return this.db.selectFrom('invitations').selectAll().where('token_hash', '=', hashSecret(this.hmacKey, token)).executeTakeFirst();
  }

  list(projectId: string, state: Invitation['state']): Promise<Invitation[]> {
    return this.db
      .selectFrom('invitations')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('state', '=', state)
      .orderBy('created_at', 'asc')
      .execute();
  }

  /** Moves a pending invitation on; false when it was no longer pending (used twice, raced). */
  async finish(executor: Kysely<Database>, id: string, state: 'accepted' | 'cancelled'): Promise<boolean> {
    const now = isoNow();
    const result = await executor
      .updateTable('invitations')
      .set({ state, updated_at: now, finished_at: now })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
