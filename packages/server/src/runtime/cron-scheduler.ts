import { Cron } from 'croner';
import type { WorkerServices } from '../services.js';
import { crons, readAppConfig, type CronDefinition } from '../git/app-config.js';
import { repositoryPath } from '../git/repositories.js';
import { deployedBuild, environmentLayout } from './environment-layout.js';
import { CRON_ACTIVITY } from './handlers.js';

const TICK_MS = 10_000;

/**
 * Queues `environment.cron` activities for active, deployed environments when their spec (UTC)
 * matches the current minute. Every worker process may run a scheduler: the dedupe key makes a
 * minute's run exist once. Runs then queue like any activity, one at a time per environment.
 */
export class CronScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly configs = new Map<string, CronDefinition[]>();
  /** The last minute a tick looked at. */
  private lastMinute: number | undefined;

  constructor(private readonly services: WorkerServices) {}

  start(): void {
    const tick = () => {
      void this.tick().catch((error: unknown) => this.services.logger.error({ err: error }, 'cron scheduling failed'));
    };
    this.timer = setInterval(tick, TICK_MS);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(now = new Date()): Promise<number> {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const skipped = this.skippedMinutes(minute.getTime());
    const environments = await this.services.environments.listActiveWithCode();
    let queued = 0;
    for (const environment of environments) {
      const deployed = deployedBuild(environmentLayout(this.services.config.dataDir, environment.project_id, environment.machine_name));
      if (!deployed) continue;
      for (const cron of await this.cronsOf(environment.project_id, deployed.commit)) {
        const schedule = new Cron(cron.spec, { timezone: 'UTC', paused: true });
        const dueAt = (at: number) => schedule.nextRun(new Date(at - 1))?.getTime() === at;
        const dedupeKey = (at: number) => `cron:${environment.project_id}:${environment.id}:${cron.name}:${new Date(at).toISOString()}`;
        for (const at of skipped.filter(dueAt)) {
          // Another scheduler may have queued it while this one stalled.
          const queuedElsewhere = await this.services.activities.existsWithDedupeKey(dedupeKey(at));
          if (!queuedElsewhere) this.services.metrics.cronMissed.inc();
        }
        if (!dueAt(minute.getTime())) continue;
        const activity = await this.services.activities.enqueueOnce(
          { userId: null, email: null, authMethod: 'system', apiTokenId: null, apiTokenName: null, clientIp: null },
          {
            projectId: environment.project_id,
            environmentId: environment.id,
            type: CRON_ACTIVITY,
            text: `Cron ${cron.name} on ${environment.id}`,
            parameters: { cron: cron.name, scheduled_for: minute.toISOString() },
            payload: { cron: cron.name },
            dedupeKey: dedupeKey(minute.getTime()),
          },
        );
        if (activity) queued++;
      }
    }
    if (queued > 0) await this.services.database.changes.publish('activity', 'queued');
    return queued;
  }

  /**
   * Minutes between this scheduler's previous tick and this one that no tick looked at (the
   * process stalled, or the clock jumped): their runs were missed unless another scheduler
   * queued them. At most an hour is looked back on.
   */
  private skippedMinutes(minute: number): number[] {
    const previous = this.lastMinute;
    if (previous === undefined || minute > previous) this.lastMinute = minute;
    if (previous === undefined) return [];
    const skipped: number[] = [];
    for (let at = Math.max(previous + 60_000, minute - 60 * 60_000); at < minute; at += 60_000) skipped.push(at);
    return skipped;
  }

  private async cronsOf(projectId: string, commit: string): Promise<CronDefinition[]> {
    const key = `${projectId}:${commit}`;
    let definitions = this.configs.get(key);
    if (!definitions) {
      try {
        definitions = crons(await readAppConfig(repositoryPath(this.services.config.dataDir, projectId), commit, this.services.vendor.projectConfigDir));
      } catch {
        definitions = [];
      }
      this.configs.set(key, definitions);
    }
    return definitions;
  }
}
