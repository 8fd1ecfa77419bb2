import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { fetchActivity, isFinished, type Activity } from './activity.js';
import { followActivityLog, type LogLine } from './log-stream.js';
import { ProgressBar } from './progress-bar.js';

export interface MonitorOptions {
  /** Where log lines go: stderr while a command waits (backup:create), stdout for activity:log. */
  logTo: 'stdout' | 'stderr';
  /** Prefix each line with its timestamp (`activity:log --timestamps`). */
  timestamps?: boolean;
  /** Formats a timestamp (for --date-fmt); ISO as the API gives it if unset. */
  formatDate?: (iso: string) => string;
  /** Seconds between refreshes of the activity (at most 3, as the Platform.sh CLI). */
  refreshSeconds?: number;
}

/** How long the log may stay unsealed after the activity was seen to end. */
const SEAL_GRACE_MS = 5_000;

/**
 * Waits for one activity as the Platform.sh CLI's ActivityMonitor does: streams its log,
 * refreshes the activity every few seconds, draws a progress bar on a terminal (plain log lines
 * otherwise), and ends with `The activity succeeded|failed|was cancelled: [id] text`. Returns
 * the finished activity; `succeeded` says whether its result is success.
 */
export async function waitAndLog(ctx: Context, initial: Activity, options: MonitorOptions): Promise<{ activity: Activity; succeeded: boolean }> {
  const terminal = ctx.io.terminal;
  const bar = terminal.stderr.isTTY && !ctx.globals.quiet ? new ProgressBar(terminal.stderr) : undefined;
  let activity = initial;
  const writeLine = (line: LogLine) => {
    // A line means a worker has it, even before the next refresh says so.
    if (activity.state === 'pending') activity = { ...activity, state: 'in_progress' };
    const text = line.message.endsWith('\n') ? line.message : `${line.message}\n`;
    const prefix = options.timestamps ? `[${options.formatDate ? options.formatDate(line.timestamp) : line.timestamp}] ` : '';
    bar?.clear();
    if (options.logTo === 'stdout') ctx.io.data(prefix + text);
    else if (!ctx.globals.quiet) terminal.stderr.write(prefix + text);
    bar?.render(activity);
  };

  const stopLog = new AbortController();
  let sealed = false;
  let logError: unknown;
  const log = followActivityLog(ctx, activity, { onLine: writeLine, signal: stopLog.signal }).then(
    (result) => {
      sealed = result;
    },
    (error: unknown) => {
      // Without its log the activity can still be waited for; the error is shown at -v.
      logError = error;
      ctx.io.debug(1, `The activity log could not be read: ${(error as Error).message}`);
    },
  );
  let logDone = false;
  void log.finally(() => (logDone = true));

  const refreshMs = Math.min(options.refreshSeconds ?? 3, 3) * 1000;
  bar?.render(activity);
  let finishedAt: number | undefined;
  const ticker = bar ? setInterval(() => bar.render(activity), 1000) : undefined;
  try {
    for (;;) {
      await (logDone ? delay(refreshMs) : Promise.race([log, delay(refreshMs)]));
      activity = await fetchActivity(ctx, activity.project, activity.id);
      if (isFinished(activity)) {
        finishedAt ??= Date.now();
        // The server seals the log once the activity has ended: wait for the last lines.
        if (logDone || Date.now() - finishedAt > SEAL_GRACE_MS) break;
        await Promise.race([log, delay(SEAL_GRACE_MS)]);
        if (logDone) break;
      }
    }
  } finally {
    if (ticker) clearInterval(ticker);
    stopLog.abort();
    await log;
  }
  if (logError instanceof CliError && logError.code !== 'connection_failed') ctx.io.debug(1, 'The log was incomplete.');
  bar?.finish(activity);
  ctx.io.debug(2, `Log ${sealed ? 'sealed' : 'not sealed'}.`);
  return { activity, succeeded: reportResult(ctx, activity) };
}

/** The last line of a wait, in the Platform.sh CLI's words. */
export function reportResult(ctx: Context, activity: Activity): boolean {
  const label = `[${activity.id}] ${activity.text}`;
  if (activity.state === 'cancelled') {
    ctx.io.warning(`The activity was cancelled: ${label}`);
    return false;
  }
  if (activity.result === 'success') {
    ctx.io.message(`The activity succeeded: ${label}`);
    return true;
  }
  ctx.io.error(`The activity failed: ${label}`);
  return false;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
