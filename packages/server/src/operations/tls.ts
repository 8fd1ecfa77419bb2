import fs from 'node:fs';
import tls from 'node:tls';
import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import type { OperationsConfig } from './config.js';

export interface TlsFiles {
  key: Buffer;
  cert: Buffer;
}

/**
 * The certificate chain and key for serving HTTPS directly, read and checked at start (a bad
 * pair stops the server with a message, not the first client's handshake).
 */
export function readTlsFiles(settings: NonNullable<OperationsConfig['tls']>): TlsFiles {
  const files = { cert: fs.readFileSync(settings.certFile), key: fs.readFileSync(settings.keyFile) };
  try {
    tls.createSecureContext(files);
  } catch (error) {
    // OpenSSL's reason ("key values mismatch", "no start line") names the problem; never the key.
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
    throw new ConfigError([`PIER_TLS_CERT/PIER_TLS_KEY: not a usable certificate and key in PEM (${reason})`]);
  }
  return files;
}

/**
 * `kill -HUP` (`systemctl reload`) makes the server read the files again, so a renewed
 * certificate (certbot, ACME clients) takes effect without dropping connections; a bad pair keeps
 * the current one. Without TLS there is nothing to reload — but the signal must not end the
 * process, as it would by default.
 */
export function reloadTlsOnHangup(server: tls.Server, settings: OperationsConfig['tls'], logger: Logger): () => void {
  const reload = () => {
    if (!settings) return logger.info('SIGHUP: nothing to reload (no PIER_TLS_CERT/PIER_TLS_KEY)');
    try {
      server.setSecureContext(readTlsFiles(settings));
      logger.info({ cert: settings.certFile }, 'reloaded the TLS certificate');
    } catch (error) {
      logger.error({ err: error }, 'kept the current TLS certificate: the new files are not usable');
    }
  };
  process.on('SIGHUP', reload);
  return () => void process.off('SIGHUP', reload);
}
