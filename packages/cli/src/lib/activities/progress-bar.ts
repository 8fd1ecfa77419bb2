import { stateLabel, type Activity } from './activity.js';

const WIDTH = 28;

/**
 * The Platform.sh CLI's activity progress bar, `[=====>      ] 00:00:45 (in progress)`, filled
 * from completion_percent. Drawn on one stderr line that log lines are written above; only on a
 * terminal (elsewhere nothing is drawn and log lines go out plain).
 */
export class ProgressBar {
  private drawn = false;
  private readonly started = Date.now();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  render(activity: Pick<Activity, 'state' | 'completion_percent'>): void {
    this.stream.write(`\r\x1b[2K${progressLine(activity, Date.now() - this.started)}`);
    this.drawn = true;
  }

  /** Removes the bar so that a line can be printed where it was; the caller draws it again. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** Leaves the final bar on its own line. */
  finish(activity: Pick<Activity, 'state' | 'completion_percent'>): void {
    this.render(activity);
    this.stream.write('\n');
    this.drawn = false;
  }
}

export function progressLine(activity: Pick<Activity, 'state' | 'completion_percent'>, elapsedMs: number): string {
  const percent = activity.state === 'complete' ? 100 : Math.max(0, Math.min(100, activity.completion_percent));
  const filled = Math.round((percent / 100) * WIDTH);
  const bar = filled >= WIDTH ? '='.repeat(WIDTH) : `${'='.repeat(filled)}>${' '.repeat(WIDTH - filled - 1)}`;
  return `[${bar}] ${elapsed(elapsedMs)} (${stateLabel(activity.state)})`;
}

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}
