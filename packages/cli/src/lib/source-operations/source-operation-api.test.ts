import { expect, it } from 'vitest';
import { parseSourceOperationVariables } from './source-operation-api.js';

it('reads --variable type:name=value as Platform.sh does', () => {
  expect(parseSourceOperationVariables(['env:FOO=bar', 'env : SPACED = x y', 'env:EMPTY='])).toEqual({ 'env:FOO': 'bar', 'env:SPACED': 'x y', 'env:EMPTY': '' });
  expect(parseSourceOperationVariables(['FOO=bar'])).toBeUndefined();
  expect(parseSourceOperationVariables(['env:FOO=a=b'])).toBeUndefined();
});
