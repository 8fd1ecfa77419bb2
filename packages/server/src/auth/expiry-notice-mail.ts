import type { MailMessage } from '../mail/mailer.js';

export interface ExpiryNoticeMailInput {
  productName: string;
  cliCommand: string;
  publicUrl: string;
  to: string;
  tokenId: string;
  tokenName: string;
  ownerEmail: string;
  ownerId: string;
  expiresAt: string;
  /** `6 days`, `20 hours`. */
  remaining: string;
}

/**
 * The notice names the token (name, id, owner, expiry) and how to rotate it; it never holds a
 * secret: nothing in it lets anyone use the token.
 */
export function expiryNoticeMail(input: ExpiryNoticeMailInput): MailMessage {
  const toOwner = input.to === input.ownerEmail;
  const whose = toOwner ? 'Your API token' : `The API token of ${input.ownerEmail}, whom you invited,`;
  const subject = `${toOwner ? 'Your' : `${input.ownerEmail}'s`} ${input.productName} API token "${input.tokenName}" expires in ${input.remaining}`;
  const rotate = `${input.cliCommand} api-token:rotate ${input.tokenId} --overlap 1h`;
  const consoleUrl = `${input.publicUrl}/console/profile/api-tokens`;
  const text = [
    `Hello,`,
    ``,
    `${whose} expires in ${input.remaining}, at ${input.expiresAt}.`,
    `Jobs that use it will fail after that.`,
    ``,
    `  Token:   ${input.tokenName}`,
    `  ID:      ${input.tokenId}`,
    `  Owner:   ${input.ownerEmail}`,
    `  Expires: ${input.expiresAt}`,
    ``,
    `Rotate it${toOwner ? '' : ` (as ${input.ownerEmail})`}, keeping the old secret working for an hour while you update its users:`,
    `  ${rotate}`,
    `or POST ${input.publicUrl}/users/${input.ownerId}/api-tokens/${input.tokenId}/rotate, or create a new token in the console:`,
    `  ${consoleUrl}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">
<p>Hello,</p>
<p>${escapeHtml(whose)} expires in <strong>${escapeHtml(input.remaining)}</strong>, at ${escapeHtml(input.expiresAt)}. Jobs that use it will fail after that.</p>
<table>
<tr><th align="left">Token</th><td>${escapeHtml(input.tokenName)}</td></tr>
<tr><th align="left">ID</th><td><code>${escapeHtml(input.tokenId)}</code></td></tr>
<tr><th align="left">Owner</th><td>${escapeHtml(input.ownerEmail)}</td></tr>
<tr><th align="left">Expires</th><td>${escapeHtml(input.expiresAt)}</td></tr>
</table>
<p>Rotate it${toOwner ? '' : ` (as ${escapeHtml(input.ownerEmail)})`}, keeping the old secret working for an hour while you update its users:</p>
<pre>${escapeHtml(rotate)}</pre>
<p>or create a new token in the <a href="${escapeHtml(consoleUrl)}">console</a>.</p>
</body></html>`;
  return { to: input.to, subject, text, html };
}

/** `6 days`, `1 day`, `20 hours`, `45 minutes`: whole units, rounded down. */
export function describeRemaining(milliseconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  if (minutes >= 2 * 24 * 60) return plural(Math.floor(minutes / (24 * 60)), 'day');
  if (minutes >= 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(minutes, 'minute');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
