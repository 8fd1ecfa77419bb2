import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { paths, operations } from './schema.js';
export * from './vocabulary.js';

/** A fetch client whose paths, parameters and bodies are typed from Pier's OpenAPI document. */
export type PierClient = Client<paths>;

export function createPierClient(options: ClientOptions): PierClient {
  return createClient<paths>(options);
}

/** The JSON body of one response (or request body) of the typed paths. */
export type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** A HAL link as resources carry them in `_links`; action links (`#restore`) carry their method. */
export interface HalLink {
  href: string;
  method?: string;
}

export type User = Json<paths['/users/me']['get']['responses'][200]>;
export type ApiToken = Json<paths['/users/{user_id}/api-tokens/{token_id}']['get']['responses'][200]>;
export type CreatedApiToken = Json<paths['/users/{user_id}/api-tokens']['post']['responses'][201]>;
export type TrustPolicy = Json<paths['/users/{user_id}/trust-policies/{policy_id}']['get']['responses'][200]>;
export type TrustPolicyInput = NonNullable<paths['/users/{user_id}/trust-policies']['post']['requestBody']>['content']['application/json'];
export type AccessTokenResponse = Json<paths['/oauth2/token']['post']['responses'][200]>;
export type OAuthError = Json<paths['/oauth2/token']['post']['responses'][400]>;
export type ErrorBody = Json<paths['/users/me']['get']['responses'][401]>;
export type Project = Json<paths['/projects/{projectId}']['get']['responses'][200]>;
export type Environment = Json<paths['/projects/{projectId}/environments/{environmentId}']['get']['responses'][200]>;
/**
 * An activity as the API returns it (Platform.sh fields plus `started_by`). `expires_at` is
 * always null, and the typed client's data types leave null-only fields out.
 */
export type Activity = Omit<Json<paths['/projects/{projectId}/activities/{activityId}']['get']['responses'][200]>, 'expires_at'>;
/** The body of a 202 for a long operation: the activities it started. */
export interface LongOperation {
  _embedded: { activities: Activity[] };
}
export type ProjectUserAccess = Json<paths['/projects/{project_id}/user-access']['get']['responses'][200]>['items'][number];
export type InvitationRequest = NonNullable<paths['/projects/{project_id}/invitations']['post']['requestBody']>['content']['application/json'];
export type Invitation = Json<paths['/projects/{project_id}/invitations']['post']['responses'][201]>;
export type AuditEntry = Json<paths['/projects/{project_id}/audit']['get']['responses'][200]>[number];
export type ProjectVariable = Json<paths['/projects/{projectId}/variables/{projectVariableId}']['get']['responses'][200]>;
export type EnvironmentVariable = Json<paths['/projects/{projectId}/environments/{environmentId}/variables/{variableId}']['get']['responses'][200]>;
export type EnvironmentVariableCreateInput = NonNullable<
  paths['/projects/{projectId}/environments/{environmentId}/variables']['post']['requestBody']
>['content']['application/json'];
export type ProjectVariableCreateInput = NonNullable<paths['/projects/{projectId}/variables']['post']['requestBody']>['content']['application/json'];
