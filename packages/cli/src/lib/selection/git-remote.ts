/**
 * Pier serves a project's repository over SSH with the project id as both the SSH user and the
 * repository name, as Platform.sh does (`abc123@git.eu-3.platform.sh:abc123.git`):
 *
 *   <project>@<host>:<project>.git            (scp-like form)
 *   ssh://<project>@<host>[:port]/<project>.git
 *
 * A self-hosted server has no fixed host name, so any host is accepted; the repeated project id
 * (12 or more lowercase letters and digits) is what makes the URL a Pier remote.
 *
 * Pier's own SSH gateway logs everyone in as one Unix user, so `project:get` clones through the
 * host alias that `ssh-cert:load` writes, named after the CLI command: `pier:<project>.git`.
 * That form is a Pier remote too when `aliasHost` is given.
 */
const scpLike = /^([a-z0-9]{12,})@[^\s:/@]+:\1\.git$/;
const sshUrl = /^ssh:\/\/([a-z0-9]{12,})@[^\s/@]+\/\1\.git$/;
const aliasLike = /^(?:[^\s:/@]+@)?([^\s:/@]+):([a-z0-9]{12,})\.git$/;

export function projectIdFromGitRemote(url: string, aliasHost?: string): string | undefined {
  const trimmed = url.trim();
  const found = (scpLike.exec(trimmed) ?? sshUrl.exec(trimmed))?.[1];
  if (found || !aliasHost) return found;
  const alias = aliasLike.exec(trimmed);
  return alias && alias[1] === aliasHost ? alias[2] : undefined;
}

/** The remote URL `project:get` gives a clone: the git host alias of the CLI's SSH config. */
export function gitAliasUrl(aliasHost: string, projectId: string): string {
  return `${aliasHost}:${projectId}.git`;
}
