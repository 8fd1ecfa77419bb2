/** Errors of the OAuth2 endpoints, answered in the RFC 6749 shape `{error, error_description}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** The exact body Platform.sh clients recognise as "this API token is invalid". */
export const invalidApiToken = () => new OAuthError(400, 'invalid_grant', 'Invalid API token');
