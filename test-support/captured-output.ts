/** What a server started in the test process writes: its log lines (JSON, as `pier-server` writes them) and banner, kept for the test. */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { loggerOptions } from './server-dist.js';

export class CapturedOutput {
  text = '';

  /** Appends to the text (the command line's `CommandOutput` writes here). */
  readonly write = (text: string): void => {
    this.text += text;
  };

  /** A logger at `level` whose lines land in the text. */
  logger(level: string): Logger {
    const write = this.write;
    return pino(
      loggerOptions(level),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          write(chunk.toString());
          done();
        },
      }),
    );
  }
}
