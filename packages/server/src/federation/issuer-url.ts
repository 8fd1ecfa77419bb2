import { isIP } from 'node:net';
import { ApiError } from '../http/errors.js';

/**
 * An issuer is an https URL without query or fragment (OpenID Connect Discovery §2). Plain http
 * is accepted only for loopback hosts, where no one can sit in the middle (local tests, a
 * runner's sidecar).
 */
export function validateIssuerUrl(issuer: string, field = 'issuer'): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ApiError('invalid_request', `The ${field} must be a URL, such as https://token.actions.githubusercontent.com.`, { field });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ApiError('invalid_request', `The ${field} must have no query, fragment or credentials.`, { field });
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new ApiError('invalid_request', `The ${field} must be an https URL (plain http only for loopback hosts).`, { field });
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** Where an issuer publishes its metadata: `<issuer>/.well-known/openid-configuration`. */
export function discoveryUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}
