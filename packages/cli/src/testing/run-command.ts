/**
 * Runs one command line in process, the way `main` does (argv parsing, Context, error → exit
 * code), against a fake terminal and canned HTTP: for `commands/<ns>/<cmd>.test.ts`, which test
 * errors and prompts without a server.
 */
import { PassThrough } from 'node:stream';
import { AccessTokenCache } from '../lib/access-token-cache.js';
import type { Terminal } from '../lib/io.js';
import { vendorProfile, type VendorProfileId } from '../lib/vendor-profile.js';
import { runCli } from '../main.js';
import { HttpMock } from './httpmock.js';
import { tempDir } from './run-cli.js';

export const API_URL = 'http://pier.test';
/** The API token of the default run; its access token is already cached, so no exchange happens. */
export const TEST_API_TOKEN = 'pier_test_token_for_unit_tests';
export const TEST_ACCESS_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.';

export interface CommandRunOptions {
  /** The canned responses; a fresh, empty HttpMock (every request fails) if unset. */
  http?: HttpMock;
  /** Added to the run's environment; `undefined` removes a default (e.g. PIER_CLI_TOKEN). */
  env?: Record<string, string | undefined>;
  /** Standard input, all of it at once (a token piped in, one answer). */
  input?: string;
  /**
   * A user at the terminal: each answer is typed when its prompt appears on stderr (several
   * prompts cannot share one pre-filled stdin: each prompt's reader may take more than a line).
   */
  answers?: Record<string, string | string[]>;
  /** Standard input is a terminal: the run is interactive unless --yes or --no-interaction. */
  tty?: boolean;
  profile?: VendorProfileId;
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  http: HttpMock;
  /** The CLI home of the run (stored token, caches). */
  home: string;
}

export async function runCommand(argv: string[], options: CommandRunOptions = {}): Promise<CommandRun> {
  const http = options.http ?? new HttpMock();
  const home = tempDir('pier-cli-home-');
  const env: NodeJS.ProcessEnv = { PIER_CLI_HOME: home, PIER_CLI_API_URL: API_URL, PIER_CLI_TOKEN: TEST_API_TOKEN };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  if (env.PIER_CLI_TOKEN === TEST_API_TOKEN) seedAccessToken(home);

  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  if (!options.answers) stdin.end(options.input ?? '');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  // A prompt asked again takes the next of its answers.
  const pending = Object.entries(options.answers ?? {}).map(([prompt, answer]) => ({ prompt, answers: [answer].flat() }));
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const { prompt, answers } of pending) if (chunk.toString().includes(prompt) && answers.length) stdin.write(`${answers.shift()}\n`);
  });
  const terminal: Terminal = { stdin, stdout, stderr, env, cwd: tempDir('pier-cwd-') };

  const code = await runCli(vendorProfile(options.profile ?? 'pier'), argv, terminal, { sendRequest: http.sendRequest });
  return { code, stdout: out, stderr: err, http, home };
}

/** A logged-in user whose access token is cached and good for an hour. */
function seedAccessToken(home: string): void {
  new AccessTokenCache(home, { leeway: 0, disableLocks: true }).write(TEST_API_TOKEN, {
    access_token: TEST_ACCESS_TOKEN,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    user_id: 'user-1',
    api_token_id: 'token-1',
  });
}
