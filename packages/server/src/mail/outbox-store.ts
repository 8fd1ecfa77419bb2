import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';

/** The mail outbox: every message Pier sends, as stored (secrets already withheld). */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a message before it is sent; returns its id. */
  async add(message: { recipient: string; subject: string; text: string; html: string }): Promise<string> {
    const id = uuidv7();
    await this.db
      .insertInto('mail_outbox')
      .values({ id, recipient: message.recipient, subject: message.subject, text_body: message.text, html_body: message.html, created_at: isoNow(), sent_at: null, error: null })
      .execute();
    return id;
  }

  async markSent(id: string): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ sent_at: isoNow() }).where('id', '=', id).execute();
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.db.updateTable('mail_outbox').set({ error: reason }).where('id', '=', id).execute();
  }
}
