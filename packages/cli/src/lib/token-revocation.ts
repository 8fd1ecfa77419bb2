import { typedClient } from './api-client.js';
import type { FetchFunction } from './http-transport.js';

/**
 * RFC 7009 revocation of an access token at logout, as the Platform.sh CLI does. Only access
 * tokens are sent: sending the API token would revoke the API token itself on the server.
 * Returns false when the server could not be told (the local copy is removed anyway).
 */
export async function revokeAccessToken(accessToken: string, authUrl: string, clientId: string, fetch: FetchFunction): Promise<boolean> {
  try {
    const { response } = await typedClient(authUrl, fetch).POST('/oauth2/revoke', {
      body: { token: accessToken, token_type_hint: 'access_token' },
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:`).toString('base64')}`,
      },
    });
    return response.ok;
  } catch {
    return false;
  }
}
