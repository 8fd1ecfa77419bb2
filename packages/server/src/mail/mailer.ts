import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { OutboxStore } from './outbox-store.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Parts only the recipient may see (an invitation link): sent, but never stored or logged. */
  secrets?: string[];
}

const WITHHELD = '[withheld: only the recipient gets this]';

/**
 * Every message is written to the outbox table first, its secrets withheld; with `SMTP_URL` it is
 * then sent through nodemailer and marked sent (or its error kept). Without SMTP nothing is sent:
 * what the recipient needs (an invitation link) is shown to whoever sent it instead.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly logger: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  }

  async send(message: MailMessage): Promise<{ delivered: boolean }> {
    const withheld = (text: string) => (message.secrets ?? []).reduce((kept, secret) => kept.split(secret).join(WITHHELD), text);
    const id = await this.outbox.add({ recipient: message.to, subject: message.subject, text: withheld(message.text), html: withheld(message.html) });
    if (!this.transport) {
      this.logger.info({ to: message.to, subject: message.subject }, 'no SMTP_URL configured: mail not sent (the sender is shown what it needs)');
      return { delivered: false };
    }
    try {
      await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
      await this.outbox.markSent(id);
      return { delivered: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.outbox.markFailed(id, reason);
      this.logger.warn({ to: message.to, err: reason }, 'could not send mail');
      return { delivered: false };
    }
  }

  close(): void {
    this.transport?.close();
  }
}
