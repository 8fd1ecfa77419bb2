import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';

/** Where backup archives live. Local folder by default; the interface fits S3-compatible stores. */
export interface BackupStorage {
  /** Stores the stream under `key` atomically: a reader never sees a partial archive. */
  write(key: string, source: Readable, signal?: AbortSignal): Promise<{ size: number; sha256: string }>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix/` (a deleted project's backups). */
  removeAll(prefix: string): Promise<void>;
}

export class LocalBackupStorage implements BackupStorage {
  constructor(private readonly root: string) {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  async write(key: string, source: Readable, signal?: AbortSignal): Promise<{ size: number; sha256: string }> {
    const target = this.pathOf(key);
    const partial = `${target}.partial-${process.pid}`;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, measure, fs.createWriteStream(partial, { mode: 0o600 }), { signal });
      const handle = await fs.promises.open(partial, 'r');
      await handle.sync();
      await handle.close();
      await fs.promises.rename(partial, target);
    } catch (error) {
      await fs.promises.rm(partial, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  read(key: string): Readable {
    return fs.createReadStream(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async removeAll(prefix: string): Promise<void> {
    await fs.promises.rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    if (!/^[\w./-]+$/.test(key) || key.includes('..')) throw new Error(`Invalid backup key: ${key}`);
    return path.join(this.root, key);
  }
}
