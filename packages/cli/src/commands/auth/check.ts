import { expectData } from '../../lib/api-client.js';
import { defineCommand, flag } from '../../lib/command.js';
import { CliError } from '../../lib/errors.js';
import { describeScope } from '../../lib/access/token-scope.js';
import { environmentOption, projectOption, Selection } from '../../lib/selection/selection.js';

export const { definition, run } = defineCommand({
  name: 'auth:check',
  description: 'Check whether your credential may do an action, and what is missing if not, without doing it',
  help:
    'Exits 0 when the action is allowed and 6 when it is not, naming what is missing: a role ' +
    '(development:contributor) or the token\'s scope ("token scope production:admin"). Actions: ' +
    'project:create, user:deactivate, project:view, project:edit, access:view, access:manage, audit:view, ' +
    'project-variables:manage, environment:view, environment:branch, environment:push, environment:ssh, ' +
    'environment:source-operation, environment:force-push, environment:backup, environment:manage, environment:variables.',
  arguments: [{ syntax: '<action>', description: 'The action, e.g. environment:backup' }],
  options: {
    project: projectOption,
    environment: environmentOption,
    json: flag('--json', 'Print the server\'s answer as JSON on standard output'),
  },
  examples: ['$ auth:check environment:backup -p abc123 -e main', '$ auth:check environment:push -e dev || exit 1'],
  async run(ctx, args, options) {
    const action = args[0] ?? '';
    const selection = new Selection(ctx, options);
    const project = projectless.has(action) ? undefined : await selection.projectId();
    const environment = action.startsWith('environment:') ? await selection.environmentIdOrDefault() : undefined;
    const answer = expectData(
      await ctx.api().GET('/auth/check', { params: { query: { action: action as never, ...(project ? { project } : {}), ...(environment ? { environment } : {}) } } }),
      ctx.loginHelp(),
    );
    if (options.json) ctx.io.data(`${JSON.stringify(answer, null, 2)}\n`);
    const where = [answer.project_id && `project ${answer.project_id}`, answer.environment_id && `environment ${answer.environment_id} (${answer.environment_type})`]
      .filter(Boolean)
      .join(', ');
    ctx.io.message(`Credential: ${answer.credential.via === 'session' ? 'console session' : `API token ${answer.credential.api_token_id ?? answer.credential.trust_policy_id ?? ''}`.trim()}, scope: ${describeScope(answer.credential.scope ?? undefined)}`);
    if (answer.allowed) {
      ctx.io.message(`Allowed: ${action}${where ? ` in ${where}` : ''}.`);
      return;
    }
    throw new CliError('permission_denied', `Not allowed: ${action}${where ? ` in ${where}` : ''}. ${answer.message ?? ''} (missing: ${answer.missing_permission ?? 'unknown'})`);
  },
});

const projectless = new Set(['project:create', 'user:deactivate']);

