import { Cron } from 'croner';
import type { Services } from '../services.js';
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

  constructor(private readonly services: Services) {}

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
    const { db } = this.services.database;
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const environments = await db.selectFrom('environments').selectAll().where('status', '=', 'active').where('head_commit', 'is not', null).execute();
    let queued = 0;
    for (const environment of environments) {
      const deployed = deployedBuild(environmentLayout(this.services.config.dataDir, environment.project_id, environment.machine_name));
      if (!deployed) continue;
      for (const cron of await this.cronsOf(environment.project_id, deployed.commit)) {
        const next = new Cron(cron.spec, { timezone: 'UTC', paused: true }).nextRun(new Date(minute.getTime() - 1));
        if (next?.getTime() !== minute.getTime()) continue;
        const activity = await this.services.activities.enqueueOnce(
          { userId: null, email: null, authMethod: 'system', apiTokenId: null, apiTokenName: null, clientIp: null },
          {
            projectId: environment.project_id,
            environmentId: environment.id,
            type: CRON_ACTIVITY,
            text: `Cron ${cron.name} on ${environment.id}`,
            parameters: { cron: cron.name, scheduled_for: minute.toISOString() },
            payload: { cron: cron.name },
            dedupeKey: `cron:${environment.project_id}:${environment.id}:${cron.name}:${minute.toISOString()}`,
          },
        );
        if (activity) queued++;
      }
    }
    if (queued > 0) await this.services.database.changes.publish('activity', 'queued');
    return queued;
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
