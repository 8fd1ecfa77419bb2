import { describe, expect, it } from 'vitest';
import { environmentSshUrl, projectGitUrl } from './ssh-url.js';

describe('SSH addresses of environments and projects', () => {
  it('names the environment as <project>-<machine name>, without the default port', () => {
    expect(environmentSshUrl('abcdefghijklm', 'main-x7k2p9q', { host: 'ssh.example.com', port: 22 })).toBe('ssh://abcdefghijklm-main-x7k2p9q@ssh.example.com');
  });

  it('appends any other port', () => {
    expect(environmentSshUrl('abcdefghijklm', 'main-x7k2p9q', { host: '127.0.0.1', port: 2222 })).toBe('ssh://abcdefghijklm-main-x7k2p9q@127.0.0.1:2222');
  });

  it('brackets IPv6 hosts', () => {
    expect(environmentSshUrl('abcdefghijklm', 'dev-1234567', { host: '::1', port: 2222 })).toBe('ssh://abcdefghijklm-dev-1234567@[::1]:2222');
  });

  it('gives the git URL in the scp form on port 22 and as an ssh:// URL otherwise', () => {
    expect(projectGitUrl('abcdefghijklm', { host: 'git.example.com', port: 22 })).toBe('abcdefghijklm@git.example.com:abcdefghijklm.git');
    expect(projectGitUrl('abcdefghijklm', { host: '127.0.0.1', port: 2222 })).toBe('ssh://abcdefghijklm@127.0.0.1:2222/abcdefghijklm.git');
  });
});
