import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Platform.sh-style project ids: 13 lowercase letters and digits, starting with a letter. */
export function newProjectId(): string {
  return ALPHABET[randomInt(26)] + randomString(12);
}

/** `feature/Login` → `feature-login-x7k2p9q`: a DNS- and SSH-safe name unique in the project. */
export function newMachineName(environmentName: string): string {
  const slug = environmentName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'env';
  return `${slug}-${randomString(7)}`;
}
