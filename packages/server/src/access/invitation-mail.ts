import type { MailMessage } from '../mail/mailer.js';

export interface InvitationMailInput {
  productName: string;
  to: string;
  projectTitle: string;
  inviterEmail: string;
  permissions: string[];
  link: string;
  expiresAt: string;
}

export function invitationMail(input: InvitationMailInput): MailMessage {
  const roles = input.permissions.join(', ');
  const subject = `${input.inviterEmail} invited you to the ${input.productName} project "${input.projectTitle}"`;
  const text = [
    `Hello,`,
    ``,
    `${input.inviterEmail} invited you to the project "${input.projectTitle}" on ${input.productName}`,
    `with these roles: ${roles}.`,
    ``,
    `Accept the invitation and create your account:`,
    input.link,
    ``,
    `The link works once and expires at ${input.expiresAt}.`,
    `If you did not expect this, ignore this e-mail.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">
<p>Hello,</p>
<p><strong>${escapeHtml(input.inviterEmail)}</strong> invited you to the project <strong>${escapeHtml(input.projectTitle)}</strong> on ${escapeHtml(input.productName)} with these roles: ${escapeHtml(roles)}.</p>
<p><a href="${escapeHtml(input.link)}">Accept the invitation and create your account</a></p>
<p style="color: #555">The link works once and expires at ${escapeHtml(input.expiresAt)}. If you did not expect this, ignore this e-mail.</p>
</body></html>`;
  return { to: input.to, subject, text, html, secrets: [input.link] };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
