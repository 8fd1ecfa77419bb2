/**
 * Errors are values with a code; the code alone decides the exit status, in one table, so that
 * scripts can rely on it (the numbers are the Platform.sh CLI's).
 */
export type CliErrorCode =
  | 'generic'
  | 'usage'
  | 'authentication_required'
  | 'invalid_api_token'
  | 'connection_failed'
  | 'permission_denied';

export const exitCodes: Record<CliErrorCode, number> = {
  generic: 1,
  usage: 1,
  authentication_required: 3,
  invalid_api_token: 3,
  connection_failed: 5,
  permission_denied: 6,
};

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * A program the CLI ran for the user (`ssh`, `git`) failed: its exit status becomes the CLI's,
 * as `ssh` itself would exit, and it has already said why.
 */
export class ChildExit extends CliError {
  constructor(
    readonly status: number,
    message = '',
  ) {
    super('generic', message);
    this.name = 'ChildExit';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof ChildExit) return error.status;
  return error instanceof CliError ? exitCodes[error.code] : 1;
}
