import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ADMIN_EMAIL, createApiToken } from '../../../../test-support/pier-server.js';
import { useCliServer } from '../testing/cli-server.js';
import { binaries, filesUnder, tempDir } from '../testing/run-cli.js';

const cli = useCliServer();

/**
 * Drives `pier auth:api-token-login` on a real pseudo-terminal through util-linux `script`:
 * answers each prompt as it appears, as a person would type.
 */
function loginOnTerminal(home: string, answers: string[]): Promise<{ code: number; screen: string }> {
  const command = `${process.execPath} ${binaries.pier} auth:api-token-login`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', NO_COLOR: '1', PIER_CLI_HOME: home, PIER_CLI_API_URL: cli.server.url },
  });
  let screen = '';
  let prompts = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    // inquirer redraws the prompt on each keystroke; answer only prompts that follow an answer
    if (screen.includes('Please enter an API token:') && prompts < answers.length && promptIsFresh(screen, prompts)) {
      child.stdin.write(`${answers[prompts]}\r`);
      prompts++;
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, screen })));
}

/** A new prompt is one drawn after the previous answer's outcome ("Invalid API token"). */
function promptIsFresh(screen: string, answered: number): boolean {
  if (answered === 0) return true;
  return screen.split('Invalid API token').length - 1 >= answered && screen.lastIndexOf('Please enter an API token:') > screen.lastIndexOf('Invalid API token');
}

it('asks for the token with a hidden prompt, re-asks after a wrong one, and stores the right one', async () => {
  const apiToken = await createApiToken(cli.server, ADMIN_EMAIL, 'tty');
  const home = tempDir();
  const { code, screen } = await loginOnTerminal(home, ['pier_wrong', apiToken]);

  expect(code).toBe(0);
  expect(screen).toContain('Please enter an API token:');
  expect(screen).toContain('Invalid API token');
  expect(screen).toContain('The API token is valid.');
  expect(screen).toContain('You are logged in.');
  expect(screen).toContain(`Email address: ${ADMIN_EMAIL}`);
  expect(screen).not.toContain(apiToken); // nothing typed is echoed
  const stored = filesUnder(home).find((entry) => entry.file === path.join(home, 'credentials', 'api-token'));
  expect(stored?.content.trim()).toBe(apiToken);
});
