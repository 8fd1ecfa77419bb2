import { expectData } from '../api-client.js';
import type { Context } from '../context.js';

export interface SourceOperation {
  operation: string;
  app: string;
  command: string;
}

/** The operations defined in the branch's app config (`applications.<app>.source.operations`). */
export async function listSourceOperations(ctx: Context, projectId: string, environmentId: string): Promise<SourceOperation[]> {
  const result = await ctx.api().GET('/projects/{projectId}/environments/{environmentId}/source-operations', { params: { path: { projectId, environmentId } } });
  return expectData(result, ctx.loginHelp());
}

const VARIABLE = /^([^:=]+) ?: ?([^=]+) ?= ?([^=]*)$/;

/**
 * `--variable type:name=value` (the Platform.sh syntax and pattern) → the request's
 * `{"type:name": "value"}`; undefined for a malformed one.
 */
export function parseSourceOperationVariables(values: readonly string[]): Record<string, string> | undefined {
  const variables: Record<string, string> = {};
  for (const value of values) {
    const match = VARIABLE.exec(value);
    if (!match) return undefined;
    variables[`${match[1]!.trim()}:${match[2]!.trim()}`] = match[3] ?? '';
  }
  return variables;
}
