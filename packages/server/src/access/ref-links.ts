import { hashSecret, safeEqual } from '../auth/token-hash.js';
import { ApiError } from '../http/errors.js';

export type RefKind = 'projects' | 'users' | 'organizations';

/**
 * Platform.sh "ref" URLs (`/ref/projects?in=a,b&sig=…`) are minted by the server inside `_links`
 * and cannot be constructed by clients: the signature binds the id list, so a ref endpoint never
 * becomes a way to enumerate projects or users. It is not a capability: the endpoint needs the
 * caller's own authentication and shows only what the caller may see at the time.
 */
export function refHref(baseUrl: string, key: Buffer, kind: RefKind, ids: string[]): string {
  const list = [...new Set(ids)].join(',');
  return `${baseUrl}/ref/${kind}?in=${encodeURIComponent(list)}&sig=${hashSecret(key, `${kind}:${list}`)}`;
}

export function verifiedRefIds(key: Buffer, kind: RefKind, list: string, sig: string): string[] {
  if (!safeEqual(hashSecret(key, `${kind}:${list}`), sig)) throw new ApiError('forbidden', 'This reference link is not valid.');
  return list === '' ? [] : list.split(',');
}
