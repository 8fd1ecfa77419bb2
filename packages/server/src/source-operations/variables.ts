import type { Services } from '../services.js';
import type { DatabaseExecutor } from '../db/database.js';
import { open, seal } from '../secrets/sealed-box.js';

/**
 * The values of a source operation's `variables` are for its run alone: the activity, which
 * every viewer of the environment reads, keeps their names; the values wait sealed (AES-256-GCM
 * under the instance key, bound to the activity) and are cleared when the activity finishes.
 */
function context(activityId: string): string {
  return `source-operation-variables:${activityId}`;
}

export async function sealSourceOperationVariables(
  services: Pick<Services, 'activities' | 'secrets'>,
  executor: DatabaseExecutor,
  activityId: string,
  variables: Record<string, string>,
): Promise<void> {
  if (Object.keys(variables).length === 0) return;
  await services.activities.setSealedInput(executor, activityId, seal(services.secrets.encryptionKey, JSON.stringify(variables), context(activityId)));
}

/**
 * The variables the user passed to this source operation, name → value (`env:NAME` included as
 * sent). For the run only. They stay sealed until the activity finishes, so a run resumed after
 * a lost lease gets them again; afterwards this answers `{}`.
 */
export async function takeSourceOperationVariables(services: Pick<Services, 'activities' | 'secrets'>, activityId: string): Promise<Record<string, string>> {
  const sealed = await services.activities.sealedInput(activityId);
  if (!sealed) return {};
  return JSON.parse(open(services.secrets.encryptionKey, sealed, context(activityId))) as Record<string, string>;
}

