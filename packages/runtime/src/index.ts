export type { SandboxAccount, SandboxBind, SandboxLimits, SandboxNetwork, SandboxSpec } from './sandbox-spec.js';
export { bubblewrapLaunch, unconfinedLaunch, type Launch } from './launch.js';
export { runCommand, type CommandRun, type CommandOutcome } from './run-command.js';
export { shellLaunchScript } from './shell-script.js';
export { probeSandbox, type SandboxAvailability } from './probe.js';
