import net from 'node:net';

/**
 * Tokens, passwords and session cookies travel to `PIER_PUBLIC_URL`: over plain HTTP they cross
 * the network readable by anyone on the path. Loopback is fine (a laptop, or a TLS proxy on the
 * same host that the URL does not name); anything else gets a warning at start.
 */
export function publicUrlWarning(publicUrl: string): string | undefined {
  const url = new URL(publicUrl);
  if (url.protocol === 'https:' || isLoopback(url.hostname)) return undefined;
  return (
    `PIER_PUBLIC_URL is ${url.origin}, plain HTTP on a non-loopback address: API tokens, passwords and session cookies would cross the network unencrypted. ` +
    'Serve HTTPS (PIER_TLS_CERT and PIER_TLS_KEY) or put a TLS reverse proxy in front and set PIER_PUBLIC_URL=https://… (docs/operations.md).'
  );
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}
