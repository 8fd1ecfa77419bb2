import path from 'node:path';
import { flag, type OptionValues } from '../command.js';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Activity } from './activity.js';
import { waitAndLog } from './monitor.js';

/** `-W/--no-wait` and `--wait`, as on every Platform.sh command that starts activities. */
export const waitOptions = {
  // --wait first: commander then leaves the value undefined when neither is given.
  wait: flag('--wait', 'Wait for the operation to complete (default, except in a hook environment)', {
    alternatives: [{ flags: '-W, --no-wait', description: 'Do not wait for the operation to complete' }],
  }),
};

/** false with --no-wait, true with --wait, undefined with neither. */
export type WaitOptions = OptionValues<typeof waitOptions>;

/**
 * Platform.sh's `shouldWait`: --no-wait and --wait decide; otherwise a hook environment (the
 * runtime's PROJECT variable set, a dash shell, stdin not a terminal) means no waiting, with a
 * warning, and anything else waits. commander folds --wait/--no-wait into one boolean, so the
 * raw argv is not needed: the last one given wins.
 */
export function shouldWait(ctx: Context, options: WaitOptions): boolean {
  if (options.wait === false || options.wait === true) return options.wait;
  const env = ctx.env;
  const inHook = Boolean(env[`${ctx.profile.runtimeEnvPrefix}PROJECT`]) && path.basename(env.SHELL ?? '') === 'dash' && ctx.io.terminal.stdin.isTTY !== true;
  if (inHook) {
    ctx.io.warning(`Warning: ${ctx.profile.productName} hook environment detected: assuming --no-wait by default.`);
    return false;
  }
  return true;
}

/**
 * After a command started an activity: wait for it with the log (exit 1 unless it succeeded),
 * or say how to follow it later.
 */
export async function waitOrReport(ctx: Context, activity: Activity, wait: boolean): Promise<Activity> {
  if (!wait) {
    ctx.io.message(`Activity ID: ${activity.id}\nFollow it with: ${ctx.profile.command} activity:log ${activity.id} -p ${activity.project}`);
    return activity;
  }
  ctx.io.message(`Waiting for the activity ${activity.id} (${activity.text}):`);
  const { activity: finished, succeeded } = await waitAndLog(ctx, activity, { logTo: 'stderr' });
  // The result line was printed; the exit code alone says the rest.
  if (!succeeded) throw new CliError('generic', '');
  return finished;
}
