import type { CommandDefinition } from '../../lib/command.js';
import type { Context } from '../../lib/context.js';
import { CliError } from '../../lib/errors.js';
import { outputOptionDefinitions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { certificateProperties } from '../../lib/ssh/certificate-display.js';
import { currentOwner, ensureCertificate, usableCertificate } from '../../lib/ssh/certifier.js';
import { sshFiles } from '../../lib/ssh/ssh-files.js';

export const definition: CommandDefinition = {
  name: 'ssh-cert:info',
  description: 'Display information about the current SSH certificate',
  help: 'A missing or expiring certificate is renewed first, unless --no-refresh is given.',
  options: [
    { flags: '--no-refresh', description: 'Do not refresh the certificate if it is invalid' },
    { flags: '-P, --property <property>', description: 'The certificate property to view: filename, key_filename, key_id, key_type, principals, valid_after, valid_before, extensions' },
    ...outputOptionDefinitions,
  ],
  examples: ['$ ssh-cert:info', '$ ssh-cert:info -P key_id', '$ ssh-cert:info --no-refresh --format json'],
};

export async function run(ctx: Context, _args: string[], rawOptions: Record<string, unknown>): Promise<void> {
  const options = rawOptions as { refresh?: boolean; property?: string };
  const output = readOutputOptions(rawOptions);
  const files = sshFiles(ctx.home.dir);
  const certificate =
    options.refresh === false
      ? usableCertificate(files, await currentOwner(ctx))
      : (await ensureCertificate(ctx, files, { onGenerate: () => ctx.io.message('Generating SSH certificate...') })).certificate;
  if (!certificate) throw new CliError('generic', 'No valid SSH certificate found.');
  const properties = certificateProperties(files, certificate);
  if (options.property) printProperty(ctx.io, properties, options.property);
  else await renderProperties(ctx.io, properties, output, ['valid_after', 'valid_before']);
}
