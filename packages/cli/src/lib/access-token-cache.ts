import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ensurePrivateDir, readFileIfExists, writePrivateFile } from './private-files.js';

/** What is cached per API token: never the API token itself, only its hash names the file. */
export interface CachedAccessToken {
  access_token: string;
  /** Unix seconds. */
  expires_at: number;
  user_id: string | null;
  api_token_id: string | null;
  /** Filled in once known (auth:info looks it up), so later runs need no extra request. */
  api_token_name?: string;
}

export interface AccessTokenCacheOptions {
  /** Seconds before expiry at which a token counts as expired. */
  leeway: number;
  /** <PREFIX>DISABLE_LOCKS: for file systems without working mkdir atomicity. */
  disableLocks: boolean;
}

/**
 * Access tokens cached in `<CLI home>/cache/access-tokens/<sha256(API token)>.json` (0600 in a
 * 0700 folder), reused until shortly before expiry. Exchanges happen under a cross-process lock
 * and the cache is read again once the lock is held, so ten processes started together make one
 * exchange: the first exchanges, the other nine find its token.
 */
export class AccessTokenCache {
  readonly dir: string;

  constructor(
    homeDir: string,
    private readonly options: AccessTokenCacheOptions,
  ) {
    this.dir = path.join(homeDir, 'cache', 'access-tokens');
  }

  static keyFor(apiToken: string): string {
    return createHash('sha256').update(apiToken).digest('hex');
  }

  fileFor(apiToken: string): string {
    return path.join(this.dir, `${AccessTokenCache.keyFor(apiToken)}.json`);
  }

  /** The cached token when it is still good for at least the leeway. */
  readUsable(apiToken: string): CachedAccessToken | undefined {
    const entry = this.read(apiToken);
    return entry && entry.expires_at - this.options.leeway > Date.now() / 1000 ? entry : undefined;
  }

  read(apiToken: string): CachedAccessToken | undefined {
    const text = readFileIfExists(this.fileFor(apiToken));
    if (!text) return undefined;
    try {
      const parsed = JSON.parse(text) as CachedAccessToken;
      return typeof parsed.access_token === 'string' && typeof parsed.expires_at === 'number' ? parsed : undefined;
    } catch {
      return undefined; // a corrupt entry is just a cache miss
    }
  }

  write(apiToken: string, entry: CachedAccessToken): void {
    writePrivateFile(this.fileFor(apiToken), JSON.stringify(entry));
  }

  /**
   * Returns a usable cached token, or exchanges under the lock. `rejected` is an access token the
   * server refused (a 401): it is not reused even if unexpired, unless another process already
   * replaced it.
   */
  async getOrExchange(
    apiToken: string,
    exchange: () => Promise<CachedAccessToken>,
    rejected?: string,
  ): Promise<{ entry: CachedAccessToken; exchanged: boolean }> {
    const usable = (): CachedAccessToken | undefined => {
      const entry = this.readUsable(apiToken);
      return entry && entry.access_token !== rejected ? entry : undefined;
    };
    const cached = usable();
    if (cached) return { entry: cached, exchanged: false };
    return this.withLock(apiToken, async () => {
      const fresh = usable();
      if (fresh) return { entry: fresh, exchanged: false };
      const entry = await exchange();
      this.write(apiToken, entry);
      return { entry, exchanged: true };
    });
  }

  remove(apiToken: string): void {
    fs.rmSync(this.fileFor(apiToken), { force: true });
  }

  /** Every cached entry, for `auth:logout --all`. */
  all(): { file: string; entry: CachedAccessToken }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const file = path.join(this.dir, name);
      try {
        return [{ file, entry: JSON.parse(fs.readFileSync(file, 'utf8')) as CachedAccessToken }];
      } catch {
        return [];
      }
    });
  }

  removeAll(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async withLock<T>(apiToken: string, action: () => Promise<T>): Promise<T> {
    if (this.options.disableLocks) return action();
    ensurePrivateDir(this.dir);
    const { lock } = await import('proper-lockfile');
    const target = this.fileFor(apiToken);
    const release = await lock(target, {
      realpath: false,
      // A crashed holder's lock is taken over after 10 s; a live holder refreshes it.
      stale: 10_000,
      update: 2_000,
      retries: { retries: 200, factor: 1.3, minTimeout: 15, maxTimeout: 200 },
      onCompromised: () => undefined,
    }).catch((error: unknown) => {
      throw new Error(`Could not lock the access-token cache (${target}.lock): ${(error as Error).message}`);
    });
    try {
      return await action();
    } finally {
      await release().catch(() => undefined);
    }
  }
}
