import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';
import type { CliVendorProfile } from './vendor-profile.js';

/**
 * Every setting, where it comes from, and its default. Order of precedence: environment
 * variable (`<PREFIX><NAME>`), then the user config file `<CLI home>/config.yaml`, then the
 * default. The alias names are the Platform.sh CLI's (`PLATFORMSH_CLI_API_BASE_URL`...).
 */
export interface CliConfig {
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly oauth2ClientId: string;
  /** Seconds before an HTTP request gives up. */
  readonly requestTimeout: number;
  /** Seconds before expiry at which a cached access token is no longer used. */
  readonly tokenExpiryLeeway: number;
  readonly noInteraction: boolean;
  readonly disableLocks: boolean;
  /** The SSH gateway's host name as clients should reach it; the server's `/ssh/authority` says otherwise. */
  readonly sshHost: string | undefined;
  /** Set in the environment of ssh run by the CLI, so the SSH config's renewal hook does nothing. */
  readonly sshNoRefresh: boolean;
}

interface SettingSpec {
  key: keyof CliConfig;
  env: string[];
  kind: 'url' | 'string' | 'number' | 'boolean';
}

const settings: SettingSpec[] = [
  { key: 'apiUrl', env: ['API_URL', 'API_BASE_URL'], kind: 'url' },
  { key: 'authUrl', env: ['AUTH_URL', 'API_AUTH_URL'], kind: 'url' },
  { key: 'oauth2ClientId', env: ['OAUTH2_CLIENT_ID'], kind: 'string' },
  { key: 'requestTimeout', env: ['DEFAULT_TIMEOUT'], kind: 'number' },
  { key: 'tokenExpiryLeeway', env: ['TOKEN_EXPIRY_LEEWAY'], kind: 'number' },
  { key: 'noInteraction', env: ['NO_INTERACTION'], kind: 'boolean' },
  { key: 'disableLocks', env: ['DISABLE_LOCKS'], kind: 'boolean' },
  { key: 'sshHost', env: ['SSH_HOST'], kind: 'string' },
  { key: 'sshNoRefresh', env: ['SSH_NO_REFRESH'], kind: 'boolean' },
];

/** The config file uses the same names as the variables, lower-cased: `api_url: https://…`. */
function fileKey(envName: string): string {
  return envName.toLowerCase();
}

export async function loadConfig(profile: CliVendorProfile, env: NodeJS.ProcessEnv, homeDir: string): Promise<CliConfig> {
  const fromFile = await readConfigFile(path.join(homeDir, 'config.yaml'));
  const raw: Partial<Record<keyof CliConfig, string>> = {};
  for (const setting of settings) {
    const fromEnv = setting.env.map((name) => env[`${profile.envPrefix}${name}`]).find((value) => value !== undefined && value !== '');
    const value = fromEnv ?? setting.env.map((name) => fromFile[fileKey(name)]).find((v) => v !== undefined);
    if (value !== undefined) raw[setting.key] = String(value);
  }
  const apiUrl = parseUrl(raw.apiUrl ?? profile.defaultApiUrl, `${profile.envPrefix}API_URL`);
  return {
    apiUrl,
    authUrl: raw.authUrl ? parseUrl(raw.authUrl, `${profile.envPrefix}AUTH_URL`) : apiUrl,
    oauth2ClientId: raw.oauth2ClientId ?? profile.oauth2ClientId,
    requestTimeout: parseNumber(raw.requestTimeout, 30, `${profile.envPrefix}DEFAULT_TIMEOUT`),
    tokenExpiryLeeway: parseNumber(raw.tokenExpiryLeeway, 60, `${profile.envPrefix}TOKEN_EXPIRY_LEEWAY`),
    noInteraction: parseBoolean(raw.noInteraction),
    disableLocks: parseBoolean(raw.disableLocks),
    sshHost: raw.sshHost || undefined,
    sshNoRefresh: parseBoolean(raw.sshNoRefresh),
  };
}

/** YAML is parsed only when the file exists: most runs (CI) have none, and start-up matters. */
async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  if (!fs.existsSync(file)) return {};
  const { parse } = await import('yaml');
  try {
    const parsed: unknown = parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    throw new CliError('generic', `Invalid config file ${file}: ${(error as Error).message}`);
  }
}

function parseUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url.toString().replace(/\/+$/, '');
  } catch {
    throw new CliError('generic', `Invalid URL in ${name}: ${value}`);
  }
}

function parseNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new CliError('generic', `Invalid number in ${name}: ${value}`);
  return number;
}

function parseBoolean(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false', 'no', 'off'].includes(value.toLowerCase());
}
