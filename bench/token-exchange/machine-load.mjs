// How much of the machine something other than the benchmark used while a target was measured:
// on a shared 2-core box a concurrent test run can halve a number, so the report shows it.
// Linux only (/proc); elsewhere the measurement is skipped.
import fs from 'node:fs';

/** CPU time (jiffies) of the whole machine and of the given processes. */
export function cpuSnapshot(pids) {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    const ours = pids.reduce((sum, pid) => sum + processJiffies(pid), 0);
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0, ours };
  } catch {
    return null;
  }
}

/** Percent of all cores' time, between two snapshots, used by others and stolen by the hypervisor. */
export function foreignLoad(before, after) {
  if (!before || !after) return null;
  const busy = after.busy - before.busy;
  const steal = after.steal - before.steal;
  const total = busy + (after.idle - before.idle) + steal;
  if (total <= 0) return null;
  const others = Math.max(0, busy - (after.ours - before.ours));
  return { othersPercent: (100 * others) / total, stealPercent: (100 * steal) / total };
}

/** CPU time (user + system, in jiffies of 10 ms) one process has used so far. */
export function processJiffies(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}
