import net from 'node:net';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { SandboxLimits, SandboxNetwork } from '@pier/runtime';
import { vendorProfileIds, type VendorProfile } from './vendor/profile.js';
import { loadOperationsConfig, type OperationsConfig } from './operations/config.js';
import { parseMaxLifetime, type ApiTokenMaxLifetime } from './auth/api-token-lifetime.js';
import { DEFAULT_PASSWORD_HASH_COST, PASSWORD_HASH_COST_RANGE } from './users/passwords.js';

const ConfigSchema = Type.Object({
  PIER_DATA_DIR: Type.String({ minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  HOST: Type.String({ minLength: 1 }),
  PIER_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  PIER_VENDOR: Type.Union(vendorProfileIds.map((id) => Type.Literal(id))),
  PIER_LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  PIER_ADMIN_EMAIL: Type.String({ format: 'email' }),
  PIER_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  PIER_JWT_ALG: Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA')]),
  PIER_ACCESS_TOKEN_TTL: Type.Integer({ minimum: 60, maximum: 86_400 }),
  PIER_ACCESS_TOKEN_REUSE_SECONDS: Type.Integer({ minimum: 0, maximum: 300 }),
  PIER_SECRETS_KEY: Type.Optional(Type.String({ minLength: 32 })),
  PIER_EXCHANGE_FAILURES_PER_MINUTE: Type.Integer({ minimum: 1 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  PIER_MAIL_FROM: Type.String({ minLength: 3 }),
  PIER_INVITATION_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 90 * 86_400 }),
  PIER_BACKUP_RETENTION: Type.Integer({ minimum: 1, maximum: 1000 }),
  PIER_PASSWORD_HASH_COST: Type.Integer(PASSWORD_HASH_COST_RANGE),
  PIER_WORKER: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  PIER_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64 }),
  PIER_ACTIVITY_LEASE_SECONDS: Type.Integer({ minimum: 1, maximum: 3600 }),
  PIER_LOG_STREAM_MAX_SECONDS: Type.Integer({ minimum: 1, maximum: 3600 }),
  PIER_SSH_PORT: Type.Integer({ minimum: 1, maximum: 65535 }),
  PIER_SSH_HOST: Type.String({ minLength: 1 }),
  PIER_SSH_GATEWAY_DIR: Type.String({ minLength: 1 }),
  PIER_SSH_USER: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_-]*$' })),
  PIER_SSH_SOCKET: Type.String({ minLength: 1, maxLength: 100 }),
  PIER_SANDBOX: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  PIER_SANDBOX_NETWORK: Type.Union([Type.Literal('host'), Type.Literal('none')]),
  PIER_SANDBOX_UIDS: Type.String({ pattern: '^[0-9]+-[0-9]+$' }),
  PIER_SANDBOX_MEMORY_MB: Type.Integer({ minimum: 64, maximum: 1_048_576 }),
  PIER_SANDBOX_PROCESSES: Type.Integer({ minimum: 16, maximum: 1_000_000 }),
  PIER_SANDBOX_CPU_SECONDS: Type.Integer({ minimum: 1, maximum: 31_536_000 }),
  PIER_SANDBOX_FILE_SIZE_MB: Type.Integer({ minimum: 1, maximum: 16_777_216 }),
});
type RawConfig = Static<typeof ConfigSchema>;

export interface Config {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly port: number;
  readonly host: string;
  /** The URL clients use to reach this server; links and token issuers are built from it. */
  readonly publicUrl: string;
  readonly vendor: VendorProfile['id'];
  readonly logLevel: string;
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  readonly jwtAlgorithm: 'ES256' | 'EdDSA';
  readonly accessTokenTtlSeconds: number;
  /** Repeated exchanges of one API token within this window get the same access token. */
  readonly accessTokenReuseSeconds: number;
  /** The longest a new API token may live (`PIER_API_TOKEN_MAX_LIFETIME`); unset: no maximum. */
  readonly apiTokenMaxLifetime: ApiTokenMaxLifetime | undefined;
  readonly secretsKey: string | undefined;
  readonly exchangeFailuresPerMinute: number;
  /** SMTP server for outgoing mail; unset: mail goes to the outbox table and the log. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly invitationTtlSeconds: number;
  /** log2 of scrypt's N for new password hashes (`users/passwords.ts`). */
  readonly passwordHashCost: number;
  /** Manual backups kept per environment; older ones are removed after a new one. */
  readonly backupRetention: number;
  /** Whether `pier-server` (serve) also runs the activity worker. */
  readonly runWorker: boolean;
  readonly workerConcurrency: number;
  /** A worker that stops renewing for this long is presumed dead; another takes over. */
  readonly activityLeaseSeconds: number;
  /**
   * Which proxies may say who the client is (X-Forwarded-For): a hop count or their addresses.
   * The client address keys the failure throttles and goes into the audit trail.
   */
  readonly trustProxy: false | number | string[];
  /** The longest an activity log response waits for new lines (clients reopen it, re-authenticated). */
  readonly logStreamMaxSeconds: number;
  /** The OpenSSH gateway (`pier-server ssh-gateway`): where it listens and as which Unix user sessions run. */
  /**
   * The OpenSSH gateway (`pier-server ssh-gateway`): where it listens, the account git and
   * `PIER_TARGET` sessions log in as, and the root-only socket through which it asks this server.
   */
  readonly ssh: { port: number; host: string; gatewayDir: string; user: string | undefined; socket: string };
  /** How user code (hooks, crons, source operations, SSH sessions) is confined. */
  readonly sandbox: SandboxConfig;
  /** Metrics, log format, TLS and proxies (`operations/config.ts`). */
  readonly operations: OperationsConfig;
}

export interface SandboxConfig {
  /** `off` runs user code unconfined, as the server's user: only for a machine nobody else uses. */
  readonly enabled: boolean;
  readonly network: SandboxNetwork;
  /** Each environment gets its own UID (and GID) from this range, recorded in the database. */
  readonly uids: { first: number; last: number };
  /** Defaults, and the most an application's `limits` may ask for. */
  readonly limits: SandboxLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const integerSettings = new Set([
  'PORT',
  'PIER_ACCESS_TOKEN_TTL',
  'PIER_ACCESS_TOKEN_REUSE_SECONDS',
  'PIER_EXCHANGE_FAILURES_PER_MINUTE',
  'PIER_INVITATION_TTL_SECONDS',
  'PIER_BACKUP_RETENTION',
  'PIER_PASSWORD_HASH_COST',
  'PIER_WORKER_CONCURRENCY',
  'PIER_ACTIVITY_LEASE_SECONDS',
  'PIER_LOG_STREAM_MAX_SECONDS',
  'PIER_SSH_PORT',
  'PIER_SANDBOX_MEMORY_MB',
  'PIER_SANDBOX_PROCESSES',
  'PIER_SANDBOX_CPU_SECONDS',
  'PIER_SANDBOX_FILE_SIZE_MB',
]);

/** Above the UIDs and subordinate ranges distributions hand out, below 2^31 (some tools sign uid_t). */
const DEFAULT_SANDBOX_UIDS = '1900000000-1999999999';

/** Reads every setting from the environment once, with defaults, and explains every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {
    PIER_DATA_DIR: path.resolve(env.PIER_DATA_DIR ?? '.pier-data'),
    PORT: env.PORT ?? '8080',
    HOST: env.HOST ?? '127.0.0.1',
    PIER_VENDOR: env.PIER_VENDOR ?? 'pier',
    PIER_LOG_LEVEL: env.PIER_LOG_LEVEL ?? 'info',
    PIER_ADMIN_EMAIL: env.PIER_ADMIN_EMAIL ?? 'admin@pier.local',
    PIER_JWT_ALG: env.PIER_JWT_ALG ?? 'ES256',
    PIER_ACCESS_TOKEN_TTL: env.PIER_ACCESS_TOKEN_TTL ?? '900',
    PIER_ACCESS_TOKEN_REUSE_SECONDS: env.PIER_ACCESS_TOKEN_REUSE_SECONDS ?? '60',
    PIER_EXCHANGE_FAILURES_PER_MINUTE: env.PIER_EXCHANGE_FAILURES_PER_MINUTE ?? '20',
    PIER_MAIL_FROM: env.PIER_MAIL_FROM ?? 'Pier <pier@localhost>',
    PIER_INVITATION_TTL_SECONDS: env.PIER_INVITATION_TTL_SECONDS ?? String(7 * 86_400),
    PIER_BACKUP_RETENTION: env.PIER_BACKUP_RETENTION ?? '5',
    PIER_PASSWORD_HASH_COST: env.PIER_PASSWORD_HASH_COST ?? String(DEFAULT_PASSWORD_HASH_COST),
    PIER_WORKER: env.PIER_WORKER ?? 'on',
    PIER_WORKER_CONCURRENCY: env.PIER_WORKER_CONCURRENCY ?? '2',
    PIER_ACTIVITY_LEASE_SECONDS: env.PIER_ACTIVITY_LEASE_SECONDS ?? '30',
    PIER_LOG_STREAM_MAX_SECONDS: env.PIER_LOG_STREAM_MAX_SECONDS ?? '300',
    PIER_SSH_PORT: env.PIER_SSH_PORT ?? '2222',
    PIER_SSH_HOST: env.PIER_SSH_HOST ?? env.HOST ?? '127.0.0.1',
    PIER_SANDBOX: env.PIER_SANDBOX ?? 'on',
    PIER_SANDBOX_NETWORK: env.PIER_SANDBOX_NETWORK ?? 'host',
    PIER_SANDBOX_UIDS: env.PIER_SANDBOX_UIDS ?? DEFAULT_SANDBOX_UIDS,
    PIER_SANDBOX_MEMORY_MB: env.PIER_SANDBOX_MEMORY_MB ?? '2048',
    PIER_SANDBOX_PROCESSES: env.PIER_SANDBOX_PROCESSES ?? '512',
    PIER_SANDBOX_CPU_SECONDS: env.PIER_SANDBOX_CPU_SECONDS ?? '7200',
    PIER_SANDBOX_FILE_SIZE_MB: env.PIER_SANDBOX_FILE_SIZE_MB ?? '8192',
  };
  for (const key of ['DATABASE_URL', 'PIER_PUBLIC_URL', 'PIER_ADMIN_PASSWORD', 'PIER_SECRETS_KEY', 'SMTP_URL', 'PIER_SSH_USER'] as const) {
    if (env[key]) raw[key] = env[key];
  }
  for (const key of integerSettings) {
    const value = raw[key];
    if (typeof value === 'string' && /^\d+$/.test(value)) raw[key] = Number(value);
  }
  raw.PIER_SSH_GATEWAY_DIR = path.resolve(env.PIER_SSH_GATEWAY_DIR ?? path.join(String(raw.PIER_DATA_DIR), 'ssh', 'gateway'));
  // A Unix socket path is at most 107 bytes.
  raw.PIER_SSH_SOCKET = path.resolve(env.PIER_SSH_SOCKET ?? path.join(String(raw.PIER_DATA_DIR), 'run', 'gateway.sock'));
  const problems = [...Value.Errors(ConfigSchema, raw)].map(
    (e) => `${e.instancePath.replace(/^\//, '') || 'config'}: ${e.message} (got ${JSON.stringify(valueAt(raw, e.instancePath))})`,
  );
  const uids = parseUidRange(String(raw.PIER_SANDBOX_UIDS));
  if (!uids) problems.push(`PIER_SANDBOX_UIDS: must be FIRST-LAST with 1000 <= FIRST <= LAST < 2147483648 (got ${JSON.stringify(raw.PIER_SANDBOX_UIDS)})`);
  const operations = loadOperationsConfig(env);
  problems.push(...operations.problems);
  const trustProxy = parseTrustProxy(env.PIER_TRUST_PROXY);
  const maxLifetimeSetting = env.PIER_API_TOKEN_MAX_LIFETIME?.trim() || undefined;
  const apiTokenMaxLifetime = maxLifetimeSetting === undefined ? undefined : parseMaxLifetime(maxLifetimeSetting);
  if (maxLifetimeSetting !== undefined && !apiTokenMaxLifetime) {
    problems.push(`PIER_API_TOKEN_MAX_LIFETIME: a number and a unit (m, h, d, w, y) from 1h to 36500d, e.g. 90d, 12h or 365d (got ${JSON.stringify(maxLifetimeSetting)})`);
  }
  if (typeof trustProxy === 'string') problems.push(trustProxy);
  if (problems.length > 0) throw new ConfigError(redactSecrets(problems));
  const valid = raw as RawConfig;
  const port = valid.PORT;
  return {
    dataDir: valid.PIER_DATA_DIR,
    databaseUrl: valid.DATABASE_URL,
    port,
    host: valid.HOST,
    publicUrl: (valid.PIER_PUBLIC_URL ?? `${operations.config.tls ? 'https' : 'http'}://${valid.HOST}:${port}`).replace(/\/$/, ''),
    vendor: valid.PIER_VENDOR,
    logLevel: valid.PIER_LOG_LEVEL,
    adminEmail: valid.PIER_ADMIN_EMAIL,
    adminPassword: valid.PIER_ADMIN_PASSWORD,
    jwtAlgorithm: valid.PIER_JWT_ALG,
    accessTokenTtlSeconds: valid.PIER_ACCESS_TOKEN_TTL,
    accessTokenReuseSeconds: valid.PIER_ACCESS_TOKEN_REUSE_SECONDS,
    apiTokenMaxLifetime,
    secretsKey: valid.PIER_SECRETS_KEY,
    exchangeFailuresPerMinute: valid.PIER_EXCHANGE_FAILURES_PER_MINUTE,
    smtpUrl: valid.SMTP_URL,
    mailFrom: valid.PIER_MAIL_FROM,
    invitationTtlSeconds: valid.PIER_INVITATION_TTL_SECONDS,
    passwordHashCost: valid.PIER_PASSWORD_HASH_COST,
    backupRetention: valid.PIER_BACKUP_RETENTION,
    runWorker: valid.PIER_WORKER === 'on',
    workerConcurrency: valid.PIER_WORKER_CONCURRENCY,
    activityLeaseSeconds: valid.PIER_ACTIVITY_LEASE_SECONDS,
    logStreamMaxSeconds: valid.PIER_LOG_STREAM_MAX_SECONDS,
    trustProxy: trustProxy as Config['trustProxy'],
    ssh: { port: valid.PIER_SSH_PORT, host: valid.PIER_SSH_HOST, gatewayDir: valid.PIER_SSH_GATEWAY_DIR, user: valid.PIER_SSH_USER, socket: valid.PIER_SSH_SOCKET },
    sandbox: {
      enabled: valid.PIER_SANDBOX === 'on',
      network: valid.PIER_SANDBOX_NETWORK,
      uids: uids!,
      limits: {
        memoryMb: valid.PIER_SANDBOX_MEMORY_MB,
        processes: valid.PIER_SANDBOX_PROCESSES,
        cpuSeconds: valid.PIER_SANDBOX_CPU_SECONDS,
        fileSizeMb: valid.PIER_SANDBOX_FILE_SIZE_MB,
      },
    },
    operations: operations.config,
  };
}

function parseUidRange(value: string): { first: number; last: number } | undefined {
  const match = /^(\d+)-(\d+)$/.exec(value);
  if (!match) return undefined;
  const [first, last] = [Number(match[1]), Number(match[2])];
  return first >= 1000 && first <= last && last < 2 ** 31 ? { first, last } : undefined;
}

/** The setting, or a problem (a string) when it would trust too much or cannot be read. */
function parseTrustProxy(value: string | undefined): Config['trustProxy'] | string {
  const setting = value?.trim() ?? '';
  if (setting === '' || setting === 'false') return false;
  if (/^\d+$/.test(setting) && Number(setting) >= 1 && Number(setting) <= 10) return Number(setting);
  const addresses = setting.split(',').map((part) => part.trim());
  if (addresses.every(isAddressOrRange)) return addresses;
  return `PIER_TRUST_PROXY: give the number of proxies in front of Pier (1 to 10) or their addresses (10.0.0.5,10.1.0.0/16); "true" would let any client choose the address throttles and the audit trail see (got ${JSON.stringify(setting)})`;
}

function isAddressOrRange(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const version = net.isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

function valueAt(raw: Record<string, unknown>, pointer: string): unknown {
  return raw[pointer.replace(/^\//, '')];
}

function redactSecrets(problems: string[]): string[] {
  return problems.map((p) => (/^(PIER_ADMIN_PASSWORD|PIER_SECRETS_KEY|DATABASE_URL|SMTP_URL)/.test(p) ? p.replace(/\(got .*\)$/, '(value hidden)') : p));
}
