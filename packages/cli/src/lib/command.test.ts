import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineCommand, flag, list, negatedFlag, omitOptions, text, type CommandModule } from './command.js';
import type { Context } from './context.js';
import { buildProgram } from './program.js';
import { vendorProfile } from './vendor-profile.js';

const terminal = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {} };

/** Parses argv for one command and returns the options its run received. */
async function parsedOptions(module: CommandModule, argv: string[]): Promise<Record<string, unknown>> {
  let received: Record<string, unknown> = {};
  const program = buildProgram(vendorProfile('pier'), terminal, [module], async (_module, _args, options) => {
    received = options;
  });
  await program.parseAsync([module.definition.name, ...argv], { from: 'user' });
  return received;
}

describe('defineCommand', () => {
  const seen: unknown[] = [];
  const command = defineCommand({
    name: 'demo:run',
    description: 'A command for the test',
    options: {
      live: flag('--live', 'A flag'),
      header: negatedFlag('--no-header', 'A negated flag'),
      name: text('--name <name>', 'Text'),
      limit: text('--limit <limit>', 'Text with a default', { defaultValue: '10' }),
      role: list('-r, --role <role>', 'Repeatable'),
      wait: flag('--wait', 'Wait', { alternatives: [{ flags: '-W, --no-wait', description: 'Do not wait' }] }),
    },
    async run(_ctx, _args, options) {
      // Typed from the declarations: these lines compile only if the types are right.
      const live: boolean | undefined = options.live;
      const header: boolean = options.header;
      const limit: string = options.limit;
      const roles: string[] | undefined = options.role;
      seen.push({ live, header, limit, roles, name: options.name, wait: options.wait });
    },
  });

  it('gives run the values commander parsed, keyed as declared', async () => {
    expect(await parsedOptions(command, [])).toEqual({ header: true, limit: '10' });
    expect(await parsedOptions(command, ['--live', '--no-header', '--name', 'x', '-r', 'a', '-r', 'b', '-W'])).toEqual({
      live: true,
      header: false,
      name: 'x',
      limit: '10',
      role: ['a', 'b'],
      wait: false,
    });
    await command.run({} as Context, [], { header: true, limit: '10', wait: true });
    expect(seen).toEqual([{ live: undefined, header: true, limit: '10', roles: undefined, name: undefined, wait: true }]);
  });

  it('refuses an option whose key is not the name commander gives its flag', () => {
    const drifted = defineCommand({ name: 'demo:drift', description: 'Drifted', options: { colour: text('--color <color>', 'Misnamed') }, run: async () => undefined });
    expect(() => buildProgram(vendorProfile('pier'), terminal, [drifted], async () => undefined)).toThrow('demo:drift: the option --color <color> is declared as "colour"');
  });

  it('omitOptions leaves the rest of a fragment in order', () => {
    const fragment = { a: flag('--a', 'A'), b: flag('--b', 'B'), c: flag('--c', 'C') };
    expect(Object.keys(omitOptions(fragment, 'b'))).toEqual(['a', 'c']);
  });
});
