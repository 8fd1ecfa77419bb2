import type { Context } from './context.js';

export interface OptionDefinition {
  /** Commander flags syntax: `-c, --columns <columns>`, `--no-header`. */
  flags: string;
  description: string;
  defaultValue?: string | boolean;
  /** A mandatory option (commander's requiredOption). */
  required?: boolean;
  hidden?: boolean;
  /** May be given several times (`-r viewer -r development:contributor`); the value is a list. */
  repeatable?: boolean;
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
  options?: OptionDefinition[];
  hidden?: boolean;
}

/**
 * A command is one module exporting its definition and `run`. Positional arguments arrive in
 * order, options as commander parsed them (camel-cased names).
 */
export interface CommandModule {
  definition: CommandDefinition;
  run(ctx: Context, args: string[], options: Record<string, unknown>): Promise<void>;
}
