import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Shown in the log when no SMTP server is configured, so a local admin can follow it. */
  developmentLink?: string;
}

/**
 * Every message is written to the outbox table first; with `SMTP_URL` it is then sent through
 * nodemailer and marked sent (or its error kept), without SMTP the log says where to find it.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  }

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    const id = uuidv7();
    await this.db
      .insertInto('mail_outbox')
      .values({ id, recipient: message.to, subject: message.subject, text_body: message.text, html_body: message.html, created_at: isoNow(), sent_at: null, error: null })
      .execute();
    if (!this.transport) {
      this.logger.info({ to: message.to, subject: message.subject, link: message.developmentLink }, 'no SMTP_URL configured: mail kept in the outbox');
      return { delivered: false };
    }
    try {
      await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      await this.db.updateTable('mail_outbox').set({ sent_at: isoNow() }).where('id', '=', id).execute();
      return { delivered: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.db.updateTable('mail_outbox').set({ error: reason }).where('id', '=', id).execute();
      this.logger.warn({ to: message.to, err: reason }, 'could not send mail');
      return { delivered: false };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
