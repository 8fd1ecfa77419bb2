import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { pierVersion } from '../version.js';
import { HttpSeries } from './http-series.js';

/** Seconds: from a cached token check (well under 1 ms) to a slow backup request. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: in-process is microseconds; LISTEN/NOTIFY is milliseconds; the design promise is < 1 s. */
const PROPAGATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds after the scheduled minute that a cron run started. */
const CRON_DELAY_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 900, 3600];

/** A cron run that starts more than this after its minute counts as late. */
export const CRON_LATE_SECONDS = 60;

const SSH_SESSION_KINDS = ['git_fetch', 'git_push', 'shell', 'command', 'sftp', 'scp', 'rsync'] as const;
const SSH_REFUSAL_STAGES = ['login', 'session', 'push'] as const;
export type SshSessionKind = (typeof SSH_SESSION_KINDS)[number];
export type SshRefusalStage = (typeof SSH_REFUSAL_STAGES)[number];

/**
 * Every series a Pier process exports, in its own registry. Labels take values from small fixed
 * sets (route patterns, not paths; activity types; outcomes): never a user, project, token or
 * address, so cardinality stays bounded and no secret or identifier reaches a scraper.
 */
export class PierMetrics {
  readonly registry = new Registry();

  private readonly http = new HttpSeries(this.registry, REQUEST_BUCKETS);
  readonly tokenExchanges = new Counter({ name: 'pier_token_exchanges_total', help: 'Token endpoint requests: ok, failed (bad token, grant or client) or throttled (429)', labelNames: ['result'] as const, registers: [this.registry] });
  readonly revocationsPropagated = new Counter({ name: 'pier_revocations_propagated_total', help: 'Revocations this process learnt from the change feed', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly revocationLag = new Histogram({ name: 'pier_revocation_propagation_seconds', help: 'From a revocation being announced (on any node) to this process applying it', buckets: PROPAGATION_BUCKETS, registers: [this.registry] });
  readonly leasesLost = new Counter({ name: 'pier_worker_leases_lost_total', help: 'Activities this worker stopped because another worker took over its lease', labelNames: ['type'] as const, registers: [this.registry] });
  readonly sshSessions = new Counter({ name: 'pier_ssh_sessions_total', help: 'SSH sessions the gateway was told to run, by kind', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly sshRefusals = new Counter({ name: 'pier_ssh_refusals_total', help: 'SSH logins, sessions and pushes refused, by stage', labelNames: ['stage'] as const, registers: [this.registry] });
  readonly sandboxStarts = new Counter({ name: 'pier_sandbox_starts_total', help: 'User code launched (hooks, crons, source operations, SSH sessions, backup tar), by driver', labelNames: ['driver'] as const, registers: [this.registry] });
  readonly sandboxFailures = new Counter({ name: 'pier_sandbox_failures_total', help: 'User code refused or not started: unavailable (no sandbox here) or prepare (account, folders)', labelNames: ['reason'] as const, registers: [this.registry] });
  readonly cronRuns = new Counter({ name: 'pier_cron_runs_total', help: `Cron runs started, on time or late (more than ${CRON_LATE_SECONDS} s after their minute)`, labelNames: ['timeliness'] as const, registers: [this.registry] });
  readonly cronStartDelay = new Histogram({ name: 'pier_cron_start_delay_seconds', help: 'From the scheduled minute to the cron run starting', buckets: CRON_DELAY_BUCKETS, registers: [this.registry] });
  readonly cronMissed = new Counter({ name: 'pier_cron_runs_missed_total', help: 'Scheduled cron minutes no scheduler queued (every scheduler was down or stalled)', registers: [this.registry] });

  private processMetrics = false;

  constructor(database: 'sqlite' | 'postgres') {
    const info = new Gauge({ name: 'pier_build_info', help: 'The running Pier version and database kind (always 1)', labelNames: ['version', 'database'] as const, registers: [this.registry] });
    info.set({ version: pierVersion(), database }, 1);
    // Every outcome exists from the start at 0, so rate() and alerts work from the first event.
    for (const result of ['ok', 'failed', 'throttled']) this.tokenExchanges.inc({ result }, 0);
    for (const kind of ['api_token', 'access_token']) this.revocationsPropagated.inc({ kind }, 0);
    for (const kind of SSH_SESSION_KINDS) this.sshSessions.inc({ kind }, 0);
    for (const stage of SSH_REFUSAL_STAGES) this.sshRefusals.inc({ stage }, 0);
    for (const driver of ['bubblewrap', 'unconfined']) this.sandboxStarts.inc({ driver }, 0);
    for (const reason of ['unavailable', 'prepare']) this.sandboxFailures.inc({ reason }, 0);
    for (const timeliness of ['on_time', 'late']) this.cronRuns.inc({ timeliness }, 0);
  }

  /** CPU, memory, event-loop lag and file descriptors: only for processes that serve scrapes. */
  collectProcessMetrics(): void {
    if (this.processMetrics) return;
    this.processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'pier_' });
  }

  /** One request: method, route pattern, status and seconds (`metrics/http-series.ts`). */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.http.observe(method, route, status, seconds);
  }

  /** What a cron run's start says about the scheduler and the queue. */
  observeCronStart(scheduledFor: string | undefined, now = Date.now()): void {
    const scheduled = scheduledFor ? Date.parse(scheduledFor) : NaN;
    if (Number.isNaN(scheduled)) return;
    const delay = Math.max(0, (now - scheduled) / 1000);
    this.cronStartDelay.observe(delay);
    this.cronRuns.inc({ timeliness: delay > CRON_LATE_SECONDS ? 'late' : 'on_time' });
  }
}
