/**
 * A local OpenID Connect issuer for keyless-CI tests: serves discovery and a JWK set over real
 * loopback HTTP and signs id-tokens with jose, as GitHub Actions or GitLab would. It counts the
 * requests it gets, so tests can prove an issuer was (or was never) contacted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface LocalIssuer {
  /** The issuer URL, as in `iss`: `http://127.0.0.1:<port>`. */
  url: string;
  /** Requests served, by path. */
  requests: string[];
  /** An id-token signed by this issuer: `iss` is this issuer, `iat` now, `exp` in 5 minutes unless overridden. */
  sign(claims: JWTPayload, options?: { key?: 'issuer' | 'foreign'; alg?: string; expiresIn?: number }): Promise<string>;
  close(): Promise<void>;
}

export interface IssuerOptions {
  /** What the discovery document says the issuer is (default: the URL itself). */
  declaredIssuer?: (url: string) => string;
}

export async function startLocalIssuer(options: IssuerOptions = {}): Promise<LocalIssuer> {
  const kid = 'test-key-1';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  // A key the issuer never published, under the same kid: its signatures must not verify.
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const requests: string[] = [];
  let url = '';
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push(path);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (path === '/.well-known/openid-configuration') {
      return send(200, {
        issuer: options.declaredIssuer ? options.declaredIssuer(url) : url,
        jwks_uri: `${url}/.well-known/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
      });
    }
    if (path === '/.well-known/jwks') return send(200, { keys: [jwk] });
    return send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    async sign(claims, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key: CryptoKey = signOptions.key === 'foreign' ? foreign.privateKey : privateKey;
      return new SignJWT({ iat: now, exp: now + (signOptions.expiresIn ?? 300), ...claims, iss: claims.iss ?? url })
        .setProtectedHeader({ alg: signOptions.alg ?? 'RS256', kid, typ: 'JWT' })
        .sign(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** GitHub Actions-shaped claims for a workflow run. */
export function githubClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: 'repo:acme/app:ref:refs/heads/main',
    aud: 'https://pier.example.com',
    repository: 'acme/app',
    repository_owner: 'acme',
    ref: 'refs/heads/main',
    environment: 'production',
    workflow: 'deploy',
    run_id: '4242',
    jti: 'c0ffee00-0000-4000-8000-000000000001',
    ...overrides,
  };
}
