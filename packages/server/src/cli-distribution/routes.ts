import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Services } from '../services.js';
import { siblingPackageDir } from '../package-dir.js';
import { ApiError, ErrorBody } from '../http/errors.js';

const bundleFile = path.join(siblingPackageDir('cli'), 'dist', 'bundle', 'cli.cjs');

/**
 * The server hands out its own CLI, so a build hook with no internet access can install it:
 * `curl -fsSL "$PIER_URL/cli/install.sh" | bash`. The installed CLI talks to this server unless
 * told otherwise.
 */
export const cliDistributionRoutes: FastifyPluginAsyncTypebox<{ services: Pick<Services, 'config' | 'vendor'> }> = async (app, { services }) => {
  const { cliCommand, cliEnvPrefix, id: profile } = services.vendor;
  const tags = ['CLI'];

  app.get(
    '/cli/install.sh',
    { config: { requires: 'public' }, schema: { operationId: 'cli-installer', tags, summary: 'Installer script for the CLI (public)', security: [], response: { 404: ErrorBody } } },
    async (_request, reply) => {
      if (!fs.existsSync(bundleFile)) throw new ApiError('not_found', 'This server was built without the CLI bundle (npm run build).');
      const plain: FastifyReply = reply;
      return plain.type('text/x-shellscript').header('cache-control', 'no-store').send(installer(services.config.publicUrl, cliCommand, cliEnvPrefix, profile));
    },
  );

  app.get(
    '/cli/cli.cjs',
    { config: { requires: 'public' }, schema: { operationId: 'cli-bundle', tags, summary: 'The CLI as one JavaScript file for Node.js ≥ 20 (public)', security: [], response: { 404: ErrorBody } } },
    async (_request, reply) => {
      if (!fs.existsSync(bundleFile)) throw new ApiError('not_found', 'This server was built without the CLI bundle (npm run build).');
      const plain: FastifyReply = reply;
      return plain.type('application/javascript').send(fs.createReadStream(bundleFile));
    },
  );
};

function installer(serverUrl: string, command: string, envPrefix: string, profile: string): string {
  return `#!/usr/bin/env bash
# Installs the ${command} CLI from ${serverUrl} into \${${envPrefix}INSTALL_DIR:-$HOME/.${command}} (needs Node.js >= 20).
set -euo pipefail
dir="\${${envPrefix}INSTALL_DIR:-$HOME/.${command}}"
mkdir -p "$dir/bin" "$dir/lib"
command -v node >/dev/null || { echo "${command}: Node.js >= 20 is needed" >&2; exit 1; }
curl -fsSL "${serverUrl}/cli/cli.cjs" -o "$dir/lib/cli.cjs.tmp"
mv "$dir/lib/cli.cjs.tmp" "$dir/lib/cli.cjs"
printf '%s\\n' "require('./cli.cjs').main('${profile}');" > "$dir/lib/${command}.cjs"
cat > "$dir/bin/${command}" <<'LAUNCHER'
#!/bin/sh
export ${envPrefix}API_URL="\${${envPrefix}API_URL:-${serverUrl}}"
exec node "$(dirname "$0")/../lib/${command}.cjs" "$@"
LAUNCHER
chmod +x "$dir/bin/${command}"
echo "Installed ${command} in $dir/bin (add it to PATH)." >&2
`;
}
