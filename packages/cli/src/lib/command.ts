import type { Context } from './context.js';

/** One commander option as it appears in help. */
export interface OptionFlag {
  /** Commander flags syntax: `-c, --columns <columns>`, `--no-header`. */
  flags: string;
  description: string;
  hidden?: boolean;
}

declare const optionValue: unique symbol;

/**
 * A declared option. Its key in `options` is the name commander gives the value (`--date-fmt` →
 * `dateFmt`, `--no-header` → `header`; `buildProgram` checks that they agree), and `Value` is
 * the type `run` receives, fixed by the builder that made it (`flag`, `text`, `list`, …).
 */
export interface OptionSpec<Value> extends OptionFlag {
  kind: 'boolean' | 'string' | 'list';
  defaultValue?: string;
  /** A mandatory option (commander's requiredOption). */
  required?: boolean;
  /** Further flags that set the same value, shown after this one (`--wait` and `-W, --no-wait`). */
  alternatives?: OptionFlag[];
  /** Type only: never set at run time. */
  readonly [optionValue]?: Value;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;

/** What `run` receives for the declared options. */
export type OptionValues<Specs extends OptionSpecs> = { [Key in keyof Specs]: Specs[Key] extends OptionSpec<infer Value> ? Value : never };

type Extra = Pick<OptionFlag, 'hidden'> & Pick<OptionSpec<unknown>, 'alternatives'>;

/** `--live`: true when given, undefined otherwise. */
export function flag(flags: string, description: string, extra: Extra = {}): OptionSpec<boolean | undefined> {
  return { kind: 'boolean', flags, description, ...extra };
}

/** `--no-header`: true unless given (commander's negatable option). */
export function negatedFlag(flags: `${string}--no-${string}`, description: string, extra: Extra = {}): OptionSpec<boolean> {
  return { kind: 'boolean', flags, description, ...extra };
}

/** `--name <name>`: the text given, or undefined. */
export function text(flags: string, description: string, extra?: Extra): OptionSpec<string | undefined>;
/** With a default or made mandatory, always a string. */
export function text(flags: string, description: string, extra: Extra & ({ defaultValue: string } | { required: true })): OptionSpec<string>;
export function text(flags: string, description: string, extra: Extra & { defaultValue?: string; required?: boolean } = {}): OptionSpec<string | undefined> {
  return { kind: 'string', flags, description, ...extra };
}

/** May be given several times (`-r viewer -r development:contributor`): every value, in order. */
export function list(flags: string, description: string, extra: Extra = {}): OptionSpec<string[] | undefined> {
  return { kind: 'list', flags, description, ...extra };
}

export interface ArgumentDefinition {
  /** Commander syntax: `<id>` required, `[property]` optional. */
  syntax: string;
  description: string;
}

export interface CommandDefinition {
  /** `namespace:command`, as users type it. */
  name: string;
  aliases?: string[];
  description: string;
  /** Longer help, shown by `help <command>`. */
  help?: string;
  examples?: string[];
  arguments?: ArgumentDefinition[];
  /** In help order. */
  options?: OptionSpecs;
  hidden?: boolean;
}

/**
 * What the registry loads: a definition and `run`. Positional arguments arrive in order, options
 * as commander parsed them, keyed as declared.
 */
export interface CommandModule {
  definition: CommandDefinition;
  run(ctx: Context, args: string[], options: Record<string, unknown>): Promise<void>;
}

export interface CommandSpec<Specs extends OptionSpecs> extends Omit<CommandDefinition, 'options'> {
  options?: Specs;
  run(ctx: Context, args: string[], options: OptionValues<Specs>): Promise<void>;
}

/**
 * A command whose `run` gets its options typed from their declarations. A module exports the
 * result as `export const { definition, run } = defineCommand({ … })`.
 */
export function defineCommand<Specs extends OptionSpecs = Record<never, never>>(spec: CommandSpec<Specs>): CommandModule {
  const { run, ...definition } = spec;
  return {
    definition,
    // The one cast: buildProgram declares to commander exactly these options, so the values it
    // parsed have the declared kinds.
    run: (ctx, args, options) => run(ctx, args, options as OptionValues<Specs>),
  };
}

/** A fragment without some of its options, for a command that does not offer them. */
export function omitOptions<Specs extends OptionSpecs, Key extends keyof Specs & string>(specs: Specs, ...keys: Key[]): Omit<Specs, Key> {
  return Object.fromEntries(Object.entries(specs).filter(([key]) => !(keys as string[]).includes(key))) as Omit<Specs, Key>;
}
