import fs from 'node:fs';

/**
 * Settings for running Pier for real: metrics, log format, TLS. Kept apart from
 * `config.ts` (which holds the product's settings) and validated the same way: every bad value
 * is named, secret ones are never echoed.
 */
export interface OperationsConfig {
  readonly metrics: MetricsConfig;
  /** `auto`: pretty, coloured lines on a terminal, JSON otherwise (files, journald, log shippers). */
  readonly logFormat: 'auto' | 'pretty' | 'json';
  /** Serve HTTPS directly with this certificate chain and key (PEM files), read at start. */
  readonly tls: { certFile: string; keyFile: string } | undefined;
}

export interface MetricsConfig {
  /** Bearer token a scraper must send; unset and no port: `/metrics` is off. */
  readonly token: string | undefined;
  /** A separate listener for `/metrics` only (then the API port does not serve it). */
  readonly port: number | undefined;
  readonly host: string;
}

export function loadOperationsConfig(env: NodeJS.ProcessEnv): { config: OperationsConfig; problems: string[] } {
  const problems: string[] = [];
  const token = env.PIER_METRICS_TOKEN || undefined;
  // A scrape token guards process internals, not user data, but must not be guessable.
  if (token !== undefined && (token.length < 16 || /\s/.test(token))) problems.push('PIER_METRICS_TOKEN: must be at least 16 characters without spaces (value hidden)');
  const port = optionalPort(env.PIER_METRICS_PORT, 'PIER_METRICS_PORT', problems);
  const host = env.PIER_METRICS_HOST || '127.0.0.1';

  const logFormat = env.PIER_LOG_FORMAT || 'auto';
  if (logFormat !== 'auto' && logFormat !== 'pretty' && logFormat !== 'json') problems.push(`PIER_LOG_FORMAT: must be auto, pretty or json (got ${JSON.stringify(logFormat)})`);

  const tls = tlsFiles(env.PIER_TLS_CERT, env.PIER_TLS_KEY, problems);
  return { config: { metrics: { token, port, host }, logFormat: logFormat as OperationsConfig['logFormat'], tls }, problems };
}

function optionalPort(value: string | undefined, name: string, problems: string[]): number | undefined {
  if (!value) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) problems.push(`${name}: must be a port number from 1 to 65535 (got ${JSON.stringify(value)})`);
  return port;
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined, problems: string[]): OperationsConfig['tls'] {
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) {
    problems.push(`${certFile ? 'PIER_TLS_KEY' : 'PIER_TLS_CERT'}: PIER_TLS_CERT and PIER_TLS_KEY go together (the certificate chain and its private key, PEM)`);
    return undefined;
  }
  for (const [name, file] of [['PIER_TLS_CERT', certFile], ['PIER_TLS_KEY', keyFile]] as const) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch {
      problems.push(`${name}: cannot read the file ${JSON.stringify(file)}`);
    }
  }
  return { certFile, keyFile };
}
