import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Revocation, RevocationList } from '../auth/revocation-list.js';

interface LiveSession {
  userId: string;
  apiTokenId: string | null;
  pid: number;
  /** The process group sshd made for the session: the client, curl, the sandbox's bwrap. */
  pgid: number;
  /** /proc's start time, so a pid the kernel has since handed to another process is never signalled. */
  startTime: string;
}

/**
 * SSH sessions running now, so that a deactivation or a revoked API token ends them at once
 * rather than when the user logs out. The gateway's client tells its pid with each session; the
 * session's process group (sshd makes one per session) is killed, and bwrap's die-with-parent
 * takes the sandbox with it.
 */
export class LiveSshSessions {
  private readonly sessions = new Map<number, LiveSession>();

  constructor(private readonly logger: Logger) {}

  register(pid: number, userId: string, apiTokenId: string | null): void {
    this.prune();
    const stat = readStat(pid);
    // Never a group that holds this server or init: those are not a session's.
    if (!stat || stat.pgid <= 1 || stat.pgid === process.pid || stat.pgid === readStat(process.pid)?.pgid) return;
    this.sessions.set(pid, { userId, apiTokenId, pid, pgid: stat.pgid, startTime: stat.startTime });
  }

  /** Ends the sessions a revocation takes away; returns how many. */
  end(revocation: Revocation): number {
    let ended = 0;
    for (const session of this.sessions.values()) {
      const affected =
        (revocation.kind === 'user' && session.userId === revocation.id) || (revocation.kind === 'api_token' && session.apiTokenId === revocation.id);
      if (!affected) continue;
      this.sessions.delete(session.pid);
      if (readStat(session.pid)?.startTime !== session.startTime) continue;
      try {
        process.kill(-session.pgid, 'SIGKILL');
        ended += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    if (ended > 0) this.logger.info({ sessions: ended, reason: revocation.kind }, 'SSH sessions ended by a revocation');
    return ended;
  }

  /** Listens to every revocation this node learns of, its own and other nodes'. */
  follow(revocations: RevocationList): () => void {
    return revocations.onRevocation((revocation) => {
      if (this.sessions.size > 0) this.end(revocation);
    });
  }

  private prune(): void {
    for (const session of this.sessions.values()) {
      if (readStat(session.pid)?.startTime !== session.startTime) this.sessions.delete(session.pid);
    }
  }
}

function readStat(pid: number): { pgid: number; startTime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgid = Number(fields[2]);
  const startTime = fields[19];
  return Number.isInteger(pgid) && startTime ? { pgid, startTime } : undefined;
}
