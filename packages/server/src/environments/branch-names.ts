import { ApiError } from '../http/errors.js';

/**
 * Environments are git branches, so their names follow `git check-ref-format --branch` on top of
 * the schema's character set: git would refuse the rest later, in the middle of a push or a deploy.
 */
const rules: Array<[RegExp, string]> = [
  [/\.\./, 'must not contain ".."'],
  [/\/\//, 'must not contain "//"'],
  [/(^|\/)\./, 'must not have a part that starts with "."'],
  [/\.lock(\/|$)/, 'must not have a part that ends with ".lock"'],
  [/[/.]$/, 'must not end with "/" or "."'],
  [/^[/-]/, 'must not start with "/" or "-"'],
];

export function checkBranchName(name: string, field: string): void {
  for (const [pattern, problem] of rules) {
    if (pattern.test(name)) throw new ApiError('invalid_request', `"${name}" is not a valid branch name: it ${problem}.`, { field });
  }
}
