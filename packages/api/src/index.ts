import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths, operations } from './schema.js';

/** A fetch client whose paths, parameters and bodies are typed from Pier's OpenAPI document. */
export type PierClient = Client<paths>;

export function createPierClient(options: ClientOptions): PierClient {
  return createClient<paths>(options);
}

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type User = Json<paths['/users/me']['get']['responses'][200]>;
export type ApiToken = Json<paths['/users/{user_id}/api-tokens/{token_id}']['get']['responses'][200]>;
export type CreatedApiToken = Json<paths['/users/{user_id}/api-tokens']['post']['responses'][201]>;
export type AccessTokenResponse = Json<paths['/oauth2/token']['post']['responses'][200]>;
export type OAuthError = Json<paths['/oauth2/token']['post']['responses'][400]>;
export type ErrorBody = Json<paths['/users/me']['get']['responses'][401]>;
