import { defineCommand, flag } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { confirm } from '../../lib/prompt.js';
import { certificateSummary } from '../../lib/ssh/certificate-display.js';
import { currentOwner, ensureCertificate, ensureCertificateLocked } from '../../lib/ssh/certifier.js';
import { fetchGateway } from '../../lib/ssh/gateway.js';
import { listEnvironmentTargets, plannedUserConfig, userConfigFile, writeSshConfig, writeUserConfig } from '../../lib/ssh/install.js';
import { userConfigBlock } from '../../lib/ssh/ssh-config.js';
import { writeRefreshScript } from '../../lib/ssh/refresh-script.js';
import { sshFiles, withSshLock } from '../../lib/ssh/ssh-files.js';
import { readFileIfExists } from '../../lib/private-files.js';

export const { definition, run } = defineCommand({
  name: 'ssh-cert:load',
  description: 'Generate an SSH certificate',
  help: [
    'Makes an Ed25519 key pair in the CLI home, has the server certify it for one hour, and writes an SSH',
    'configuration (included from ~/.ssh/config) so that plain ssh, git, rsync and scp reach the gateway',
    'through host aliases: the CLI command name for git (`git clone pier:<project>.git` for `pier`), and',
    '<environment>.<project>.<command> for ssh, rsync and scp (`ssh main.<project>.pier`).',
    'The certificate is renewed automatically when it is about to expire.',
    'To run this unattended (CI), use --yes or --no-interaction.',
  ].join('\n'),
  options: {
    refreshOnly: flag('--refresh-only', 'Only refresh the certificate, if necessary (do not write SSH configuration)'),
    new: flag('--new', 'Force the certificate to be refreshed'),
    newKey: flag('--new-key', 'Force a new key pair to be generated (implies --new)'),
  },
  examples: ['$ ssh-cert:load', '$ ssh-cert:load --no-interaction', '$ ssh-cert:load --refresh-only --quiet'],
  async run(ctx, _args, options) {
    const variable = `${ctx.profile.envPrefix}SSH_NO_REFRESH`;
    if (ctx.config.sshNoRefresh && options.refreshOnly) {
      ctx.io.message(`Not refreshing SSH certificate (${variable} variable is set)`);
      return;
    }
    const files = sshFiles(ctx.home.dir);
    const request = {
      newCertificate: options.new === true || options.newKey === true,
      newKey: options.newKey === true,
      onGenerate: () => ctx.io.message('Generating SSH certificate...'),
    };

    if (options.refreshOnly) {
      report(ctx, await ensureCertificate(ctx, files, request));
      return;
    }

    // Everything the configuration needs is fetched before taking the lock, and the question about
    // ~/.ssh/config asked before it too, so that no process holds the lock while waiting.
    const [owner, gateway, targets] = await Promise.all([currentOwner(ctx), fetchGateway(ctx, files), listEnvironmentTargets(ctx)]);
    const userConfig = userConfigFile(ctx);
    const planned = plannedUserConfig(ctx, files, userConfig);
    let editUserConfig = false;
    if (planned) {
      const question = planned.exists ? 'Do you want to update the file automatically?' : 'Do you want to create an SSH configuration file automatically?';
      ctx.io.message(`For plain ssh, git, rsync and scp to use the certificate, ${userConfig} needs to include ${files.config}.`);
      editUserConfig = await confirm(ctx.io, question, true, ctx.globals.yes);
    }

    const before = readFileIfExists(files.certificate);
    const loaded = await withSshLock(ctx, files, async () => {
      const result = await ensureCertificateLocked(ctx, files, owner, request, before);
      writeRefreshScript(ctx, files, result.certificate);
      writeSshConfig(ctx, files, gateway, targets);
      if (editUserConfig) writeUserConfig(ctx, files, userConfig);
      return result;
    });
    report(ctx, loaded);
    if (planned && editUserConfig) {
      ctx.io.message(`Configuration file ${planned.exists ? 'updated' : 'created'} successfully: ${userConfig}`);
    } else if (planned) {
      ctx.io.error(`Add these lines to ${userConfig} yourself:\n\n${userConfigBlock(ctx, files).text}\n`);
      throw new CliError('generic', '');
    }
    const example = targets[0];
    if (example) ctx.io.debug(1, `SSH host aliases written to ${files.config} (e.g. ${example.alias}).`);
  },
});

function report(ctx: Context, loaded: Awaited<ReturnType<typeof ensureCertificate>>): void {
  if (!loaded.generated) ctx.io.message('A valid SSH certificate exists');
  ctx.io.message(certificateSummary(loaded.certificate));
  ctx.io.message('The certificate will be automatically refreshed when necessary.');
}
