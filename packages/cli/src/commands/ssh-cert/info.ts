import { defineCommand, negatedFlag, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { outputOptions, readOutputOptions } from '../../lib/output/output-options.js';
import { printProperty } from '../../lib/output/property.js';
import { renderProperties } from '../../lib/output/render.js';
import { certificateProperties } from '../../lib/ssh/certificate-display.js';
import { currentOwner, ensureCertificate, usableCertificate } from '../../lib/ssh/certifier.js';
import { sshFiles } from '../../lib/ssh/ssh-files.js';

export const { definition, run } = defineCommand({
  name: 'ssh-cert:info',
  description: 'Display information about the current SSH certificate',
  help: 'A missing or expiring certificate is renewed first, unless --no-refresh is given.',
  options: {
    refresh: negatedFlag('--no-refresh', 'Do not refresh the certificate if it is invalid'),
    property: text('-P, --property <property>', 'The certificate property to view: filename, key_filename, key_id, key_type, principals, valid_after, valid_before, extensions'),
    ...outputOptions,
  },
  examples: ['$ ssh-cert:info', '$ ssh-cert:info -P key_id', '$ ssh-cert:info --no-refresh --format json'],
  async run(ctx, _args, options) {
    const output = readOutputOptions(options);
    const files = sshFiles(ctx.home.dir);
    const certificate =
      options.refresh === false
        ? usableCertificate(files, await currentOwner(ctx))
        : (await ensureCertificate(ctx, files, { onGenerate: () => ctx.io.message('Generating SSH certificate...') })).certificate;
    if (!certificate) throw new CliError('generic', 'No valid SSH certificate found.');
    const properties = certificateProperties(files, certificate);
    if (options.property) printProperty(ctx.io, properties, options.property);
    else await renderProperties(ctx.io, properties, output, ['valid_after', 'valid_before']);
  },
});

