import type { PierClient } from '@pier/api';
import { AccessTokenCache } from './access-token-cache.js';
import { createAuthenticatedClient } from './api-client.js';
import { AuthSession } from './auth-session.js';
import { resolveCliHome, type CliHome } from './cli-home.js';
import { loadConfig, type CliConfig } from './config.js';
import { resolveCredential, type Credential } from './credentials.js';
import { oidcAudienceVariable, oidcTokenVariable } from './oidc-credential.js';
import { CliError } from './errors.js';
import { createStreamTransport, createTransport, type FetchFunction, type StreamFunction, type TransportOptions } from './http-transport.js';
import { Io, type Terminal } from './io.js';
import type { SecretRegistry } from './redact.js';
import { StoredCredentials } from './stored-credentials.js';
import type { ExchangeSettings } from './token-exchange.js';
import { nonInteractiveAuthHelp, tokenVariable, type CliVendorProfile } from './vendor-profile.js';
import { CLI_VERSION } from './version.js';

/** Options every command accepts (Platform.sh CLI semantics, section 4.1 of the research). */
export interface GlobalOptions {
  verbose: number;
  quiet: boolean;
  yes: boolean;
  /** False with --no-interaction. */
  interaction: boolean;
}

/** What a test replaces so that a command runs without a server. */
export interface ContextDependencies {
  /**
   * Sends one request and returns the whole response: node:http unless injected. Every request of
   * the run goes through it (API client, token exchange and revocation, HAL links, the activity
   * log), below the tracing, User-Agent and error mapping of `http-transport.ts`.
   */
  sendRequest?: FetchFunction;
}

/**
 * What a command gets to work with: IO, settings, credentials and an API client, each built on
 * first use so that a command pays only for what it touches.
 */
export class Context {
  readonly stored: StoredCredentials;
  readonly tokenCache: AccessTokenCache;
  readonly transport: FetchFunction;
  /** For responses read as they arrive (the activity log). */
  readonly streamTransport: StreamFunction;
  private session: AuthSession | undefined;

  private constructor(
    readonly profile: CliVendorProfile,
    readonly io: Io,
    readonly home: CliHome,
    readonly config: CliConfig,
    readonly globals: GlobalOptions,
    dependencies: ContextDependencies,
  ) {
    this.stored = new StoredCredentials(home.dir);
    this.tokenCache = new AccessTokenCache(home.dir, { leeway: config.tokenExpiryLeeway, disableLocks: config.disableLocks });
    const transportOptions: TransportOptions = {
      timeoutSeconds: config.requestTimeout,
      urlSettingHint: `Check that the server is running and that ${profile.envPrefix}API_URL is right.`,
      userAgent: `${profile.command}-cli/${CLI_VERSION} (node ${process.version})`,
    };
    this.transport = createTransport(io, transportOptions, dependencies.sendRequest);
    this.streamTransport = createStreamTransport(io, transportOptions, dependencies.sendRequest);
  }

  static async create(
    profile: CliVendorProfile,
    terminal: Terminal,
    globals: GlobalOptions,
    secrets?: SecretRegistry,
    dependencies: ContextDependencies = {},
  ): Promise<Context> {
    const home = resolveCliHome(profile, terminal.env);
    const config = await loadConfig(profile, terminal.env, home.dir);
    const interactive = globals.interaction && !globals.yes && !config.noInteraction && terminal.stdin.isTTY === true;
    const io = new Io(terminal, {
      verbosity: globals.verbose,
      quiet: globals.quiet,
      interactive,
      noColorVariable: `${profile.envPrefix}NO_COLOR`,
      ...(secrets ? { secrets } : {}),
    });
    io.debug(3, `CLI home: ${home.dir} (${home.origin}); API: ${config.apiUrl}`);
    return new Context(profile, io, home, config, globals, dependencies);
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.terminal.env;
  }

  get cwd(): string {
    return this.io.terminal.cwd ?? process.cwd();
  }

  /** The credential in effect, if any: the env API token, an OIDC id-token, then the stored API token. */
  credential(): Credential | undefined {
    return resolveCredential(this.profile, this.env, this.stored);
  }

  /** The authentication for this run; exit 3 with what to do when there is none. */
  authSession(): AuthSession {
    if (this.session) return this.session;
    const credential = this.credential();
    if (!credential) throw new CliError('authentication_required', `Authentication is required.\n\n${this.loginHelp()}`);
    if (credential.source.kind === 'env' && this.onAppContainer()) {
      // As the Platform.sh CLI warns: an environment's SSH users can read its variables.
      this.io.warning(
        'Warning:\nAn API token is set. Anyone with SSH access to this environment can read the token.\nPlease ensure the token only has strictly necessary access.',
      );
    }
    this.session = new AuthSession(credential, this.tokenCache, this.exchangeSettings(credential), this.io, this.profile.command);
    return this.session;
  }

  api(): PierClient {
    return createAuthenticatedClient(this.authSession(), this.config.apiUrl, this.transport);
  }

  exchangeSettings(credential: Credential | undefined): ExchangeSettings {
    return {
      authUrl: this.config.authUrl,
      clientId: this.config.oauth2ClientId,
      fetch: this.transport,
      invalidTokenHelp: this.invalidTokenHelp(credential),
    };
  }

  /** Inside an app container, where `<runtime prefix>PROJECT`, `BRANCH` and `TREE_ID` are set. */
  onAppContainer(): boolean {
    const prefix = this.profile.runtimeEnvPrefix;
    return ['PROJECT', 'BRANCH', 'TREE_ID'].every((name) => Boolean(this.env[`${prefix}${name}`]));
  }

  loginHelp(): string {
    return `${nonInteractiveAuthHelp(this.profile)}\nOr log in with an API token by running:\n    ${this.profile.command} auth:api-token-login`;
  }

  private invalidTokenHelp(credential: Credential | undefined): string {
    if (credential?.source.kind === 'oidc_env') {
      return `Check the trust policy of the machine user (${this.profile.command} trust-policy:list) against the id-token in ${oidcTokenVariable(this.profile)}.`;
    }
    if (credential?.source.kind === 'github_actions') {
      return `Check the trust policy of the machine user (${this.profile.command} trust-policy:list) against this workflow, and ${oidcAudienceVariable(this.profile)}.`;
    }
    if (credential?.source.kind === 'env') {
      return `The token in ${tokenVariable(this.profile)} may have been revoked or may have expired. Set it to a valid API token.`;
    }
    if (credential?.source.kind === 'stored') {
      return `The stored token may have been revoked or may have expired. Log in again by running:\n    ${this.profile.command} auth:api-token-login`;
    }
    return 'Check the token and try again.';
  }
}
