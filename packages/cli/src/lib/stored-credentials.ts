import fs from 'node:fs';
import path from 'node:path';
import { readFileIfExists, writePrivateFile } from './private-files.js';

/**
 * The API token saved by `auth:api-token-login`, in a 0600 file. There is no keyring yet: CI
 * machines and containers are headless, and the file store is what works there.
 */
export class StoredCredentials {
  private readonly file: string;

  constructor(homeDir: string) {
    this.file = path.join(homeDir, 'credentials', 'api-token');
  }

  get location(): string {
    return this.file;
  }

  read(): string | undefined {
    const token = readFileIfExists(this.file)?.trim();
    return token ? token : undefined;
  }

  save(apiToken: string): void {
    writePrivateFile(this.file, `${apiToken}\n`);
  }

  /** True when a token was removed. */
  remove(): boolean {
    const existed = fs.existsSync(this.file);
    fs.rmSync(this.file, { force: true });
    return existed;
  }
}
