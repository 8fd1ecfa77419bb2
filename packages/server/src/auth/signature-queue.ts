import { sign } from 'node:crypto';
import type { SigningKey } from './signing-keys.js';

/**
 * Signs JWS signing inputs off the event loop (node:crypto's callback API runs on the libuv thread
 * pool), one at a time. Several signatures at once with the same key made every one slower
 * (OpenSSL 3 serialises them on its locks) and took the cores the event loop needs: with one in
 * flight and the rest waiting here, the exchange served ~40 % more tokens a second on 2 cores
 * (docs/decisions.md). The thread pool's other threads stay free for file I/O and password hashing.
 */
export class SignatureQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency = 1) {}

  sign(key: SigningKey, data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const start = () => {
        this.running++;
        signOnThreadPool(key, data, (error, signature) => {
          this.running--;
          this.waiting.shift()?.();
          if (error) reject(error);
          else resolve(signature);
        });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }
}

function signOnThreadPool(key: SigningKey, data: Buffer, done: (error: Error | null, signature: Buffer) => void): void {
  if (key.algorithm === 'ES256') sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }, done);
  else sign(null, data, key.privateKey, done);
}
