import { expect, it } from 'vitest';
import { projectIdFromGitRemote } from './git-remote.js';

it.each([
  ['abcdefghij123@git.pier.example.com:abcdefghij123.git', 'abcdefghij123'],
  ['abcdefghij123@pier.internal:abcdefghij123.git', 'abcdefghij123'],
  ['ssh://abcdefghij123@git.pier.example.com:2222/abcdefghij123.git', 'abcdefghij123'],
  ['abcdefghij123@git.eu-3.platform.sh:abcdefghij123.git', 'abcdefghij123'],
  ['abcdefghij123@git.pier.example.com:otherprojectx.git', undefined],
  ['git@github.com:example/shop.git', undefined],
  ['https://git.pier.example.com/abcdefghij123.git', undefined],
])('%s → %s', (url, projectId) => {
  expect(projectIdFromGitRemote(url)).toBe(projectId);
});

it.each([
  ['pier:abcdefghij123.git', 'abcdefghij123'],
  ['root@pier:abcdefghij123.git', 'abcdefghij123'],
  ['github:abcdefghij123.git', undefined],
  ['pier:example/shop.git', undefined],
])('with the git alias "pier": %s → %s', (url, projectId) => {
  expect(projectIdFromGitRemote(url, 'pier')).toBe(projectId);
});
