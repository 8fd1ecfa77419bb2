import path from 'node:path';
import type { Logger } from 'pino';
import { PasswordHasher } from './users/passwords.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { loadInstanceSecrets, type InstanceSecrets } from './secrets/instance-secrets.js';
import { vendorProfile, type VendorProfile } from './vendor/profile.js';
import { UserStore } from './users/store.js';
import { ProjectStore } from './projects/store.js';
import { EnvironmentStore } from './environments/store.js';
import { ProjectAccessStore } from './access/store.js';
import { InvitationStore } from './access/invitation-store.js';
import { AuditStore } from './audit/store.js';
import { ApiTokenStore } from './auth/api-token-store.js';
import { SigningKeyStore } from './auth/signing-key-store.js';
import { AccessTokenIssuer } from './auth/access-token-issuer.js';
import { AccessTokenVerifier } from './auth/access-token-verifier.js';
import { RevocationList } from './auth/revocation-list.js';
import { RevocationStore } from './auth/revocation-store.js';
import { UsageRecorder } from './auth/usage-recorder.js';
import { SessionStore } from './auth/session-store.js';
import { FailureThrottle } from './auth/failure-throttle.js';
import { Mailer } from './mail/mailer.js';
import { OutboxStore } from './mail/outbox-store.js';
import { TokenExchange } from './auth/token-exchange.js';
import { VariableStore } from './variables/store.js';
import { ActivityStore } from './activities/store.js';
import { ExpiryNoticeStore } from './auth/expiry-notice-store.js';
import { BackupStore } from './backups/store.js';
import { LocalBackupStorage, type BackupStorage } from './backups/storage.js';
import { loadCertificateAuthority, type CertificateAuthority } from './ssh/authority.js';
import { SandboxAccountStore } from './runtime/sandbox-account-store.js';
import { EnvironmentSandboxes } from './runtime/environment-sandbox.js';
import { PierMetrics } from './metrics/pier-metrics.js';
import { TrustPolicyStore } from './federation/store.js';
import { IssuerKeys } from './federation/issuer-keys.js';
import { KeylessExchange } from './federation/keyless-exchange.js';

/**
 * What the background work needs (the activity handlers, the cron scheduler, the expiry
 * notices): the stores, the sandboxes and the mailer — no token machinery. `pier-server worker`
 * builds only this.
 */
export interface WorkerServices {
  readonly config: Config;
  readonly vendor: VendorProfile;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly secrets: InstanceSecrets;
  readonly users: UserStore;
  readonly projects: ProjectStore;
  readonly environments: EnvironmentStore;
  readonly projectAccess: ProjectAccessStore;
  readonly invitations: InvitationStore;
  readonly audit: AuditStore;
  readonly expiryNotices: ExpiryNoticeStore;
  readonly mailer: Mailer;
  readonly variables: VariableStore;
  readonly activities: ActivityStore;
  readonly backups: BackupStore;
  readonly backupStorage: BackupStorage;
  /** How each environment's code runs: its own account, in its own sandbox. */
  readonly sandboxes: EnvironmentSandboxes;
  /** This process's Prometheus series (`metrics/`); counted always, exposed when configured. */
  readonly metrics: PierMetrics;
  close(): Promise<void>;
}

/** Everything the routes need, built once per process from the configuration. */
export interface Services extends WorkerServices {
  readonly apiTokens: ApiTokenStore;
  readonly signingKeys: SigningKeyStore;
  readonly issuer: AccessTokenIssuer;
  readonly tokenExchange: TokenExchange;
  readonly verifier: AccessTokenVerifier;
  readonly revocations: RevocationList;
  readonly usage: UsageRecorder;
  readonly sessions: SessionStore;
  readonly exchangeThrottle: FailureThrottle;
  readonly loginThrottle: FailureThrottle;
  readonly passwords: PasswordHasher;
  /** Keyless CI: trust policies and the RFC 8693 exchange of OIDC id-tokens (`federation/`). */
  readonly trustPolicies: TrustPolicyStore;
  readonly keylessExchange: KeylessExchange;
  readonly sshAuthority: CertificateAuthority;
}

/** The database, the stores on it, and what runs user code: shared by the API and the worker. */
export async function createWorkerServices(config: Config, logger: Logger): Promise<WorkerServices> {
  const vendor = vendorProfile(config.vendor);
  const secrets = loadInstanceSecrets(config.dataDir, config.secretsKey);
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger });
  const { db } = database;
  const metrics = new PierMetrics(database.dialect);
  const mailer = new Mailer(new OutboxStore(db), logger, config.smtpUrl, config.mailFrom);
  return {
    config,
    vendor,
    logger,
    database,
    secrets,
    users: new UserStore(db),
    projects: new ProjectStore(db),
    environments: new EnvironmentStore(db),
    projectAccess: new ProjectAccessStore(db),
    invitations: new InvitationStore(db, secrets.tokenHmacKey),
    audit: new AuditStore(db),
    expiryNotices: new ExpiryNoticeStore(db),
    mailer,
    variables: new VariableStore(db, secrets.encryptionKey),
    activities: new ActivityStore(db, database.dialect),
    backups: new BackupStore(db),
    backupStorage: new LocalBackupStorage(path.join(config.dataDir, 'backups')),
    sandboxes: new EnvironmentSandboxes(config, vendor, new SandboxAccountStore(db, config.sandbox.uids), logger, metrics),
    metrics,
    async close() {
      mailer.close();
      await database.close();
    },
  };
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const base = await createWorkerServices(config, logger);
  const { database, secrets, vendor } = base;
  const { db } = database;
  const apiTokens = new ApiTokenStore(db, secrets.tokenHmacKey, vendor.apiTokenPrefix);
  const signingKeys = new SigningKeyStore(db, secrets.encryptionKey);
  const revocations = new RevocationList(new RevocationStore(db), database.changes, config.accessTokenTtlSeconds, logger);
  await revocations.start();
  const signingKey = await signingKeys.currentKey(config.jwtAlgorithm);
  const usage = new UsageRecorder(apiTokens, logger);
  const issuer = new AccessTokenIssuer(signingKey, config.publicUrl, config.accessTokenTtlSeconds);
  const tokenExchange = new TokenExchange({
    apiTokens,
    issuer,
    revocations,
    usage,
    hmacKey: secrets.tokenHmacKey,
    tokenPrefix: vendor.apiTokenPrefix,
    reuseSeconds: config.accessTokenReuseSeconds,
  });
  const trustPolicies = new TrustPolicyStore(db);
  return {
    ...base,
    apiTokens,
    signingKeys,
    issuer,
    tokenExchange,
    verifier: new AccessTokenVerifier(signingKeys, revocations, config.publicUrl),
    revocations,
    usage,
    sessions: new SessionStore(db, secrets.tokenHmacKey),
    exchangeThrottle: new FailureThrottle(config.exchangeFailuresPerMinute),
    loginThrottle: new FailureThrottle(config.exchangeFailuresPerMinute),
    passwords: new PasswordHasher(config.passwordHashCost),
    trustPolicies,
    keylessExchange: new KeylessExchange({ policies: trustPolicies, issuerKeys: new IssuerKeys(), issuer }),
    sshAuthority: loadCertificateAuthority(config.dataDir, `${vendor.cliCommand}-ca`),
    async close() {
      await revocations.stop();
      await usage.stop();
      await base.close();
    },
  };
}
