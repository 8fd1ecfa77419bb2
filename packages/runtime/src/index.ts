export { runCommand, type CommandRun, type CommandOutcome } from './run-command.js';
export { deployBuild, type DeployStep } from './deploy.js';
