import { sql, type Kysely } from 'kysely';
import type { ApiTokenRow, Database } from '../db/schema.js';

export type ExpiryNotice = '7d' | '1d';

export interface ExpiringToken {
  token: ApiTokenRow;
  ownerEmail: string;
}

/** The queries behind the expiry notices (`expiry-notices.ts`): what is due, who is told, and the claim. */
export class ExpiryNoticeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Live tokens of active users that expire after `now` and by `horizon`, with a notice not yet claimed. */
  async expiringBetween(now: string, horizon: string): Promise<ExpiringToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select('users.email as owner_email')
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.deactivated', '=', 0)
      .where('api_tokens.expires_at', '>', now)
      .where('api_tokens.expires_at', '<=', horizon)
      .where((eb) => eb.or([eb('api_tokens.expiry_notice_7d_at', 'is', null), eb('api_tokens.expiry_notice_1d_at', 'is', null)]))
      .orderBy('api_tokens.expires_at')
      .execute();
    return rows.map(({ owner_email, ...token }) => ({ token, ownerEmail: owner_email }));
  }

  /**
   * Claims a notice for this process: only one of several workers running the same tick updates
   * the row, and only that one sends. The 1-day notice also closes the 7-day one (a token found
   * inside its last day gets one mail, not two).
   */
  async claim(tokenId: string, notice: ExpiryNotice, now: string): Promise<boolean> {
    const update =
      notice === '7d'
        ? this.db.updateTable('api_tokens').set({ expiry_notice_7d_at: now }).where('expiry_notice_7d_at', 'is', null)
        : this.db
            .updateTable('api_tokens')
            .set({ expiry_notice_1d_at: now, expiry_notice_7d_at: sql<string>`coalesce(expiry_notice_7d_at, ${now})` })
            .where('expiry_notice_1d_at', 'is', null);
    const result = await update.where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Who invited this account (its accepted invitations, direct grants included) and may still
   * act on it: active inviters who are still admins of that project, or instance admins.
   */
  async invitingAdmins(email: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('invitations')
      .innerJoin('users as inviter', 'inviter.id', 'invitations.inviter_id')
      .select('inviter.email')
      .distinct()
      .where('invitations.email', '=', email)
      .where('invitations.state', '=', 'accepted')
      .where('inviter.deactivated', '=', 0)
      .where((eb) =>
        eb.or([
          eb('inviter.is_admin', '=', 1),
          eb.exists(
            eb
              .selectFrom('project_access')
              .select('project_access.user_id')
              .whereRef('project_access.project_id', '=', 'invitations.project_id')
              .whereRef('project_access.user_id', '=', 'invitations.inviter_id')
              .where('project_access.role', '=', 'admin'),
          ),
        ]),
      )
      .orderBy('inviter.email')
      .execute();
    return rows.map((row) => row.email);
  }
}
