/**
 * Pier serves a project's repository over SSH with the project id as both the SSH user and the
 * repository name, as Platform.sh does (`abc123@git.eu-3.platform.sh:abc123.git`):
 *
 *   <project>@<host>:<project>.git            (scp-like form)
 *   ssh://<project>@<host>[:port]/<project>.git
 *
 * A self-hosted server has no fixed host name, so any host is accepted; the repeated project id
 * (12 or more lowercase letters and digits) is what makes the URL a Pier remote.
 */
const scpLike = /^([a-z0-9]{12,})@[^\s:/@]+:\1\.git$/;
const sshUrl = /^ssh:\/\/([a-z0-9]{12,})@[^\s/@]+\/\1\.git$/;

export function projectIdFromGitRemote(url: string): string | undefined {
  const trimmed = url.trim();
  return (scpLike.exec(trimmed) ?? sshUrl.exec(trimmed))?.[1];
}
