import type { WorkerServices } from '../services.js';
import { type Actor } from '../audit/audit-log.js';
import { describeRemaining, expiryNoticeMail } from './expiry-notice-mail.js';
import type { ExpiringToken, ExpiryNotice, ExpiryNoticeStore } from './expiry-notice-store.js';

const DAY_MS = 86_400_000;
const LEAD_MS: Record<ExpiryNotice, number> = { '7d': 7 * DAY_MS, '1d': DAY_MS };
const EVERY_MS = 5 * 60_000;
const SYSTEM: Actor = { userId: null, email: null, authMethod: 'system', apiTokenId: null, apiTokenName: null, clientIp: null };

export interface SentNotice {
  tokenId: string;
  notice: ExpiryNotice;
  recipients: string[];
}

/**
 * Mails a token's owner — and, for machine users (accounts that were invited), the project admins
 * who invited them — 7 days and 1 day before the token expires. Every worker process runs it; a
 * notice is claimed with one conditional UPDATE before it is sent, so it goes out once however
 * many workers look at the same minute. The clock is injected so tests move time instead of waiting.
 */
export class ExpiryNoticeJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly store: ExpiryNoticeStore;
  private readonly clock: () => Date;

  constructor(
    private readonly services: Pick<WorkerServices, 'audit' | 'expiryNotices' | 'mailer' | 'logger' | 'vendor' | 'config'>,
    options: { clock?: () => Date } = {},
  ) {
    this.store = services.expiryNotices;
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    const tick = () => {
      this.running = this.run().catch((error: unknown) => this.services.logger.error({ err: error }, 'API token expiry notices failed'));
    };
    this.timer = setInterval(tick, EVERY_MS);
    this.timer.unref();
    tick();
  }

  /** Stops the timer and waits for a run in progress, so the database is not closed under it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Sends the notices due at `now`; returns what this process sent. */
  async run(now = this.clock()): Promise<SentNotice[]> {
    const sent: SentNotice[] = [];
    const horizon = new Date(now.getTime() + LEAD_MS['7d']).toISOString();
    for (const expiring of await this.store.expiringBetween(now.toISOString(), horizon)) {
      const notice = dueNotice(expiring, now);
      if (!notice || !(await this.store.claim(expiring.token.id, notice, now.toISOString()))) continue;
      sent.push(await this.send(expiring, notice, now));
    }
    return sent;
  }

  private async send({ token, ownerEmail }: ExpiringToken, notice: ExpiryNotice, now: Date): Promise<SentNotice> {
    const { mailer, vendor, config, logger, audit } = this.services;
    const expiresAt = token.expires_at!;
    const inviters = await this.store.invitingAdmins(ownerEmail);
    const recipients = [...new Set([ownerEmail, ...inviters])];
    const remaining = describeRemaining(Date.parse(expiresAt) - now.getTime());
    let delivered = 0;
    for (const to of recipients) {
      const mail = expiryNoticeMail({
        productName: vendor.productName,
        cliCommand: vendor.cliCommand,
        publicUrl: config.publicUrl,
        to,
        tokenId: token.id,
        tokenName: token.name,
        ownerEmail,
        ownerId: token.user_id,
        expiresAt,
        remaining,
      });
      if ((await mailer.send(mail)).delivered) delivered++;
    }
    await audit.record(SYSTEM, {
      action: 'api_token.expiry_notice',
      projectId: null,
      targetType: 'api_token',
      targetId: token.id,
      details: { name: token.name, owner: ownerEmail, notice, expires_at: expiresAt, recipients, delivered },
    });
    logger.info({ apiTokenId: token.id, notice, recipients: recipients.length }, 'API token expiry notice sent');
    return { tokenId: token.id, notice, recipients };
  }
}

/**
 * The notice a token is due at `now`, if any. A token whose whole life was shorter than a
 * notice's lead time gets no such notice: whoever made a 2-day token knows when it ends.
 */
function dueNotice({ token }: ExpiringToken, now: Date): ExpiryNotice | undefined {
  const expiresAt = Date.parse(token.expires_at!);
  const lifetime = expiresAt - Date.parse(token.created_at);
  const remaining = expiresAt - now.getTime();
  if (remaining <= LEAD_MS['1d']) return token.expiry_notice_1d_at === null && lifetime > LEAD_MS['1d'] ? '1d' : undefined;
  return token.expiry_notice_7d_at === null && lifetime > LEAD_MS['7d'] ? '7d' : undefined;
}
