import type { JWTPayload } from 'jose';
import type { AccessTokenIssuer, IssuedAccessToken } from '../auth/access-token-issuer.js';
import { deserializeTokenScope } from '../access/token-scope.js';
import { firstUnmetCondition, type ClaimConditions } from './claim-conditions.js';
import { claimedIssuer, IdTokenRefused, verifyIdToken } from './id-token.js';
import type { IssuerKeys } from './issuer-keys.js';
import type { CandidatePolicy, TrustPolicyStore } from './store.js';

export interface KeylessExchangeResult {
  issued: IssuedAccessToken;
  policy: CandidatePolicy;
  claims: JWTPayload;
}

/**
 * The keyless exchange (RFC 8693): a CI job's OIDC id-token → an access token of the one machine
 * user whose trust policy it meets. The order matters: policies are looked up by the claimed
 * issuer first, so only issuers someone trusts are ever contacted; then the signature and times;
 * then audience and conditions, and exactly one policy must match.
 */
export class KeylessExchange {
  constructor(
    private readonly options: {
      policies: TrustPolicyStore;
      issuerKeys: IssuerKeys;
      issuer: AccessTokenIssuer;
    },
  ) {}

  async exchange(idToken: string, clientId: string): Promise<KeylessExchangeResult> {
    const { policies, issuerKeys, issuer } = this.options;
    const iss = claimedIssuer(idToken);
    const candidates = await policies.forIssuer(iss);
    if (candidates.length === 0) throw new IdTokenRefused(`No trust policy trusts the id-token's issuer (${iss.slice(0, 200)}).`);
    const claims = await verifyIdToken(idToken, iss, await issuerKeys.keysFor(iss));
    const policy = matchingPolicy(candidates, claims);
    if (policy.user_deactivated === 1) throw new IdTokenRefused(`The user of the trust policy "${policy.name}" is deactivated.`);
    const issued = await issuer.issue({
      userId: policy.user_id,
      apiTokenId: null,
      clientId,
      amr: ['oidc'],
      // The access token lives its usual lifetime, not the id-token's (minutes), as cloud STS do.
      notAfter: null,
      scope: deserializeTokenScope(policy.scope),
      federated: { policyId: policy.id, issuer: iss, subject: String(claims.sub) },
    });
    return { issued, policy, claims };
  }
}

/** Exactly one policy: none says which check failed, several say that the conditions overlap. */
export function matchingPolicy(candidates: readonly CandidatePolicy[], claims: JWTPayload): CandidatePolicy {
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  const forAudience = candidates.filter((policy) => audiences.includes(policy.audience));
  if (forAudience.length === 0) throw new IdTokenRefused("The id-token's audience (aud) is not the audience of any trust policy for its issuer.");
  const unmet = forAudience.map((policy) => firstUnmetCondition(JSON.parse(policy.conditions) as ClaimConditions, claims));
  const matches = forAudience.filter((_policy, index) => unmet[index] === undefined);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const names = matches.map((policy) => `"${policy.name}"`).join(', ');
    throw new IdTokenRefused(`The id-token matches several trust policies (${names}): their conditions overlap. Narrow them so that exactly one matches.`);
  }
  const claimNames = [...new Set(unmet.filter((name): name is string => name !== undefined))].map((name) => `"${name}"`);
  throw new IdTokenRefused(`The id-token's claims do not meet the conditions of any trust policy for its issuer and audience (unmet: ${claimNames.join(', ')}).`);
}

/** The claims that say which pipeline run this was: recorded in the audit trail, never the token. */
export const AUDITED_CLAIMS = ['iss', 'sub', 'aud', 'repository', 'repository_owner', 'ref', 'environment', 'workflow', 'job_workflow_ref', 'run_id', 'run_attempt', 'actor', 'project_path', 'pipeline_id', 'job_id', 'jti'];

export function auditedClaims(claims: JWTPayload): Record<string, unknown> {
  return Object.fromEntries(AUDITED_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => [name, claims[name]]));
}
