import { createInterface } from 'node:readline/promises';
import type { Io } from './io.js';

/**
 * Confirmation with the Platform.sh CLI's semantics: --yes answers yes (and says so), a
 * non-interactive run takes the default, otherwise the user is asked on stderr.
 */
export async function confirm(io: Io, question: string, defaultAnswer: boolean, yes: boolean): Promise<boolean> {
  const choices = defaultAnswer ? '[Y/n]' : '[y/N]';
  if (yes) {
    io.message(`${question} ${choices} y`);
    return true;
  }
  if (!io.interactive) return defaultAnswer;
  const readline = createInterface({ input: io.terminal.stdin, output: io.terminal.stderr });
  try {
    const answer = (await readline.question(`${question} ${choices} `)).trim().toLowerCase();
    return answer === '' ? defaultAnswer : answer.startsWith('y');
  } finally {
    readline.close();
  }
}

/** A question answered with a line of text, asked on stderr; only call it when io.interactive. */
export async function ask(io: Io, question: string): Promise<string> {
  const readline = createInterface({ input: io.terminal.stdin, output: io.terminal.stderr });
  try {
    return (await readline.question(`${question} `)).trim();
  } finally {
    readline.close();
  }
}

/** A hidden prompt (nothing echoed), drawn on stderr so stdout stays clean for data. */
export async function askSecret(io: Io, message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password({ message }, { input: io.terminal.stdin, output: io.terminal.stderr });
}

/** All of standard input, for tokens piped in by scripts. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
