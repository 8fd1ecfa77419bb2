/**
 * Where a `pier-server` command writes. The binary passes the process's streams; tests run the
 * same commands in process and read what they wrote (cli/cli's IOStreams is the model).
 */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
