/**
 * What the gateway's client and the server agree on, besides the socket's routes
 * (gateway-socket.ts): names only, so the gateway process loads nothing else of the server.
 */

/** What sshd puts in SSH_ORIGINAL_COMMAND for the sftp subsystem (its configured server). */
export const SFTP_SERVERS = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server', '/usr/libexec/sftp-server'];

/** The variables through which git-receive-pack tells the hooks who pushes. */
export const PUSHER_VARIABLES = {
  user: 'GATEWAY_PUSH_USER',
  token: 'GATEWAY_PUSH_TOKEN',
  project: 'GATEWAY_PUSH_PROJECT',
  client: 'GATEWAY_PUSH_CLIENT',
  /** The certificate's token scope (JSON), so pushes stay within it. */
  scope: 'GATEWAY_PUSH_SCOPE',
} as const;
