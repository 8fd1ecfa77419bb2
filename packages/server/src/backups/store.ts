import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Backup, Database } from '../db/schema.js';
import { isoNow } from '../db/time.js';

export class BackupStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createPending(executor: Kysely<Database>, input: { projectId: string; environmentId: string; activityId: string; safe: boolean; id?: string }): Promise<Backup> {
    const now = isoNow();
    const backup: Backup = {
      id: input.id ?? uuidv7(),
      project_id: input.projectId,
      environment_id: input.environmentId,
      activity_id: input.activityId,
      status: 'PENDING',
      safe: input.safe ? 1 : 0,
      restorable: 0,
      storage_key: null,
      sha256: null,
      size_used: 0,
      commit_id: null,
      manifest: '{}',
      created_at: now,
      updated_at: now,
      expires_at: null,
    };
    await executor.insertInto('backups').values(backup).execute();
    return backup;
  }

  find(projectId: string, id: string): Promise<Backup | undefined> {
    return this.db.selectFrom('backups').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  }

  list(projectId: string, environmentId: string): Promise<Backup[]> {
    return this.db
      .selectFrom('backups')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('environment_id', '=', environmentId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** The archive is complete and checked: only now does the backup become restorable. */
  async markCreated(id: string, archive: { storageKey: string; sha256: string; size: number; commitId: string | null; manifest: object }): Promise<void> {
    await this.db
      .updateTable('backups')
      .set({
        status: 'CREATED',
        restorable: 1,
        storage_key: archive.storageKey,
        sha256: archive.sha256,
        size_used: archive.size,
        commit_id: archive.commitId,
        manifest: JSON.stringify(archive.manifest),
        updated_at: isoNow(),
      })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: string, executor: Kysely<Database> = this.db): Promise<void> {
    await executor.updateTable('backups').set({ status: 'FAILED', restorable: 0, updated_at: isoNow() }).where('id', '=', id).where('status', '=', 'PENDING').execute();
  }

  /** A safe backup pauses writes (SSH, runtime) to its environment while it runs. */
  async pauseWrites(projectId: string, environmentId: string, activityId: string): Promise<void> {
    await this.db.updateTable('environments').set({ writes_paused_by: activityId }).where('project_id', '=', projectId).where('id', '=', environmentId).execute();
  }

  /** Lifts the pause this activity holds, if it still holds it. */
  async resumeWrites(projectId: string, activityId: string, executor: Kysely<Database> = this.db): Promise<void> {
    await executor.updateTable('environments').set({ writes_paused_by: null }).where('project_id', '=', projectId).where('writes_paused_by', '=', activityId).execute();
  }

  async delete(executor: Kysely<Database>, id: string): Promise<void> {
    await executor.deleteFrom('backups').where('id', '=', id).execute();
  }

  /** Manual backups beyond the newest `keep` of an environment, oldest first. */
  async beyondRetention(projectId: string, environmentId: string, keep: number): Promise<Backup[]> {
    const created = (await this.list(projectId, environmentId)).filter((b) => b.status === 'CREATED');
    return created.slice(keep).reverse();
  }
}
