import type { Kysely } from 'kysely';

/**
 * Machine credentials (issue 15): deactivation cuts every credential issued before it; API tokens
 * carry an optional scope and address binding, a rotation's overlap window and the expiry notices
 * already sent; machine users trust CI identity providers (keyless exchange, RFC 8693).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
  for (const column of ['scope', 'allowed_ips', 'previous_token_hash', 'previous_secret_expires_at', 'rotated_at', 'expiry_notice_7d_at', 'expiry_notice_1d_at']) {
    await db.schema.alterTable('api_tokens').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('api_tokens_previous_hash').on('api_tokens').column('previous_token_hash').execute();
  await db.schema
    .createTable('trust_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('scope', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('trust_policies_user_name', ['user_id', 'name'])
    .execute();
  await db.schema.createIndex('trust_policies_issuer').on('trust_policies').column('issuer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trust_policies').execute();
  await db.schema.dropIndex('api_tokens_previous_hash').execute();
  for (const column of ['scope', 'allowed_ips', 'previous_token_hash', 'previous_secret_expires_at', 'rotated_at', 'expiry_notice_7d_at', 'expiry_notice_1d_at']) {
    await db.schema.alterTable('api_tokens').dropColumn(column).execute();
  }
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
}
