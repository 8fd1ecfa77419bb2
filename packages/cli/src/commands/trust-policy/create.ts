import type { TrustPolicyInput } from '@pier/api';
import { expectData } from '../../lib/api-client.js';
import { defineCommand, list, text } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { formatConditions } from '../../lib/trust-policies.js';

/** Shorthands for the issuers most CI jobs use. */
const knownIssuers: Record<string, string> = {
  github: 'https://token.actions.githubusercontent.com',
  gitlab: 'https://gitlab.com',
};

export const { definition, run } = defineCommand({
  name: 'trust-policy:create',
  description: "Trust a CI system's OIDC id-tokens for keyless access as this user",
  help:
    'A CI job whose id-token comes from the issuer, names the audience and meets every condition gets an access token of this user, ' +
    'with no stored secret. Conditions are claim=value, where * in the value matches anything (ref=refs/heads/*). ' +
    'At least one condition on an identifying claim (sub, repository, ref, environment, project_path…) is required.',
  options: {
    name: text('--name <name>', 'A name for the policy (unique among the user\'s policies)', { required: true }),
    issuer: text('--issuer <url>', 'The OIDC issuer URL, or github (token.actions.githubusercontent.com) or gitlab (gitlab.com)', { required: true }),
    audience: text('--audience <audience>', 'The audience the id-token must name (default: the API URL)'),
    condition: list('--condition <claim=value>', 'A claim the id-token must carry, e.g. repository=acme/app (repeatable)'),
    scope: list('--scope <project=permissions>', 'Limit the access tokens to a project, e.g. abc123=viewer,development:contributor (repeatable)'),
    user: text('--user <user>', "Another user's id (instance admins), e.g. a machine user's"),
  },
  examples: [
    '$ trust-policy:create --name gha-deploy --issuer github --audience https://pier.example.com --condition repository=acme/app --condition \'ref=refs/heads/*\'',
    '$ trust-policy:create --name gitlab --issuer gitlab --condition project_path=acme/app --condition ref_protected=true --scope abc123def4567=viewer,development:contributor',
  ],
  async run(ctx, _args, options) {
    const conditions = parseConditions(options.condition ?? []);
    const scope = options.scope?.length ? parseScope(options.scope) : undefined;
    const body: TrustPolicyInput = {
      name: options.name,
      issuer: knownIssuers[options.issuer] ?? options.issuer,
      audience: options.audience ?? ctx.config.apiUrl,
      conditions,
      ...(scope ? { scope } : {}),
    };
    const result = await ctx.api().POST('/users/{user_id}/trust-policies', { params: { path: { user_id: options.user ?? 'me' } }, body });
    const created = expectData(result, ctx.loginHelp());
    ctx.io.message(`Created the trust policy "${created.name}" (${created.id}).`);
    ctx.io.message(`  Issuer: ${created.issuer}\n  Audience: ${created.audience}\n  Conditions: ${formatConditions(created.conditions)}`);
    ctx.io.data(`${created.id}\n`);
  },
});

function parseConditions(values: string[]): Record<string, string> {
  if (values.length === 0) throw new CliError('usage', 'At least one --condition is required, e.g. --condition repository=acme/app');
  const conditions: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0 || equals === value.length - 1) throw new CliError('usage', `Conditions must be given as claim=value: ${value}`);
    conditions[value.slice(0, equals).trim()] = value.slice(equals + 1).trim();
  }
  return conditions;
}

function parseScope(values: string[]): NonNullable<TrustPolicyInput['scope']> {
  return values.map((value) => {
    const [project, permissions] = value.split('=', 2);
    if (!project || !permissions) throw new CliError('usage', `Scopes must be given as project=permissions: ${value}`);
    return { project_id: project.trim(), permissions: permissions.split(',').map((p) => p.trim()).filter(Boolean) };
  });
}
