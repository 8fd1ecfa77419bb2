import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { publicUrlWarning } from './public-url.js';
import { usePrettyLogs } from '../logging.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('operations settings', () => {
  it('keep metrics off, logs automatic, plain HTTP and no trusted proxy by default', () => {
    expect(loadConfig({}).operations).toEqual({ metrics: { token: undefined, port: undefined, host: '127.0.0.1' }, logFormat: 'auto', tls: undefined });
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it('name every bad value and never echo the metrics token', () => {
    const message = problemsOf({ PIER_METRICS_TOKEN: 'short secret', PIER_METRICS_PORT: '70000', PIER_LOG_FORMAT: 'xml', PIER_TLS_CERT: '/nonexistent/cert.pem' });
    for (const name of ['PIER_METRICS_TOKEN', 'PIER_METRICS_PORT', 'PIER_LOG_FORMAT', 'PIER_TLS_KEY']) expect(message).toContain(name);
    expect(message).not.toContain('short secret');
  });

  it('serves the public URL as https by default when TLS files are set', () => {
    expect(problemsOf({ PIER_TLS_CERT: '/nonexistent/cert.pem', PIER_TLS_KEY: '/nonexistent/key.pem' })).toContain('cannot read the file "/nonexistent/key.pem"');
    const config = loadConfig({ PIER_TLS_CERT: '/dev/null', PIER_TLS_KEY: '/dev/null', PORT: '8443' });
    expect(config.publicUrl).toBe('https://127.0.0.1:8443');
  });

  it('warns about a plain-HTTP public URL only off loopback', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'https://pier.example.com']) expect(publicUrlWarning(url), url).toBeUndefined();
    for (const url of ['http://pier.example.com', 'http://10.1.2.3:8080', 'http://0.0.0.0:8080']) expect(publicUrlWarning(url), url).toContain('PIER_TLS_CERT');
  });

  it('write pretty lines on a terminal and JSON elsewhere, unless told', () => {
    expect([usePrettyLogs('auto', true), usePrettyLogs('auto', false), usePrettyLogs('json', true), usePrettyLogs('pretty', false)]).toEqual([true, false, false, true]);
  });
});
