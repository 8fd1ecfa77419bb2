import type { SshCertificate } from './certificate.js';
import type { SshFiles } from './ssh-files.js';

/** `ssh-cert:info`'s properties, in the Platform.sh CLI's names, with ISO dates. */
export function certificateProperties(files: SshFiles, certificate: SshCertificate): Record<string, unknown> {
  return {
    filename: files.certificate,
    key_filename: files.key,
    key_id: certificate.keyId,
    key_type: certificate.keyType,
    principals: certificate.principals,
    valid_after: isoSeconds(certificate.validAfter),
    valid_before: isoSeconds(certificate.validBefore),
    extensions: certificate.extensions,
  };
}

/** How `ssh-cert:load` describes a certificate (Platform.sh: expiry and mode). */
export function certificateSummary(certificate: SshCertificate): string {
  // Issued for an API token: a machine's non-interactive session ("app" in the Platform.sh CLI).
  const mode = certificate.extensions['api-token-id@pier'] !== undefined ? 'app' : 'interactive';
  return [`  Expires at: ${isoSeconds(certificate.validBefore)}`, `  Mode: ${mode}`].join('\n');
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
