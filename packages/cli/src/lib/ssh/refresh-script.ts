import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ensurePrivateDir } from '../private-files.js';
import { shellWord } from '@pier/wire';
import type { SshCertificate } from './certificate.js';
import { EXPIRY_BUFFER_SECONDS } from './certificate.js';
import type { SshFiles } from './ssh-files.js';

/**
 * The renewal hook for plain ssh/git/rsync/scp. The Platform.sh CLI's SSH config starts the
 * whole CLI on every connection (`Match exec "platform ssh-cert:load --refresh-only"`), which
 * costs 100–200 ms each time and breaks git when PHP is not on the PATH (legacy-cli#1199).
 * Ours runs a few lines of sh that compare the clock with the certificate's expiry, written
 * here each time a certificate is; the CLI, by absolute path, starts only when a renewal is due.
 */
export function writeRefreshScript(ctx: Context, files: SshFiles, certificate: SshCertificate): void {
  const prefix = ctx.profile.envPrefix;
  const renewAt = certificate.validBefore - EXPIRY_BUFFER_SECONDS;
  const apiUrl = `${prefix}API_URL`;
  const authUrl = `${prefix}AUTH_URL`;
  const lines = [
    '#!/bin/sh',
    `# Written by \`${ctx.profile.command} ssh-cert:load\`; rewritten with every certificate.`,
    '# Plain ssh runs this before connecting to a gateway alias; it renews the certificate',
    `# when it expires within ${EXPIRY_BUFFER_SECONDS} seconds (at ${new Date(renewAt * 1000).toISOString()}).`,
    `[ "$${prefix}SSH_NO_REFRESH" = 1 ] && exit 0`,
    `[ "$(date +%s)" -lt ${renewAt} ] && exit 0`,
    `${prefix}HOME=${shellWord(path.dirname(files.dir))}`,
    `${apiUrl}="\${${apiUrl}:-${shellQuoteInDouble(ctx.config.apiUrl)}}"`,
    `${authUrl}="\${${authUrl}:-${shellQuoteInDouble(ctx.config.authUrl)}}"`,
    `export ${prefix}HOME ${apiUrl} ${authUrl}`,
    `${cliInvocation(ctx).map(shellWord).join(' ')} ssh-cert:load --refresh-only --yes --quiet </dev/null >/dev/null 2>&1`,
    // Whatever happened, ssh goes on with the certificate there is.
    'exit 0',
    '',
  ];
  ensurePrivateDir(files.dir);
  const temp = `${files.refreshScript}.${process.pid}.tmp`;
  fs.writeFileSync(temp, lines.join('\n'), { mode: 0o700 });
  fs.chmodSync(temp, 0o700);
  fs.renameSync(temp, files.refreshScript);
}

/**
 * How to start this CLI again from a script: node and the bundle by absolute path when running
 * from `bin/<command>.cjs` (no PATH needed), else the command name.
 */
export function cliInvocation(ctx: Context): string[] {
  const script = process.argv[1];
  if (script && path.basename(script) === `${ctx.profile.command}.cjs` && fs.existsSync(script)) return [process.execPath, fs.realpathSync(script)];
  return [ctx.profile.command];
}

function shellQuoteInDouble(value: string): string {
  return value.replace(/[\\"$`]/g, (c) => `\\${c}`);
}
