/**
 * Tests that run user code or SSH need root, bubblewrap and sshd, and skip themselves elsewhere
 * (a developer's machine). In CI, skipping would hide them: there, their absence fails the run.
 */
import fs from 'node:fs';

export default function requireSandboxInCi(): void {
  if (process.env.CI !== 'true') return;
  const missing = [
    process.getuid?.() !== 0 && 'root',
    !fs.existsSync('/usr/bin/bwrap') && 'bubblewrap',
    !fs.existsSync('/usr/sbin/sshd') && 'openssh-server',
    !fs.existsSync('/usr/bin/curl') && 'curl',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`CI runs the sandbox and SSH tests, which need: ${missing.join(', ')}`);
}
