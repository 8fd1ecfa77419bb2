import { useState, type FormEvent } from 'react';
import type { TrustPolicy, TrustPolicyInput } from '@pier/api';
import { api, must } from '../api';
import { ActionsHeader, ConfirmButton, ErrorMessage, Loading, Notice, useAction, useLoad } from '../ui';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * My profile › API tokens › Trust policies (keyless CI): CI systems whose OIDC id-tokens are
 * exchanged for access tokens of this user, so that a job stores no secret at all.
 */
export function TrustPoliciesSection() {
  const policies = useLoad(() => must(api.GET('/users/{user_id}/trust-policies', { params: { path: { user_id: 'me' } } })), 'trust-policies');
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section aria-labelledby="trust-policies-heading">
      <h2 id="trust-policies-heading">Trust policies</h2>
      <p className="hint">
        Keyless CI: a job whose OIDC id-token comes from the issuer, names the audience and meets every condition gets an access token as
        you, with no stored secret. In GitHub Actions give the job <code>permissions: id-token: write</code> and set{' '}
        <code>PIER_CLI_OIDC_AUDIENCE</code>; elsewhere pass the id-token in <code>PIER_CLI_OIDC_TOKEN</code>.
      </p>
      <CreateTrustPolicyForm
        onCreated={(policy) => {
          setNotice(`The trust policy “${policy.name}” was added.`);
          policies.reload();
        }}
      />
      {notice && <Notice>{notice}</Notice>}
      {policies.loading ? (
        <Loading what="trust policies" />
      ) : policies.error ? (
        <ErrorMessage error={policies.error} />
      ) : policies.data && policies.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Your trust policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Issuer and audience</th>
                <th scope="col">Conditions</th>
                <th scope="col">Scope</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {policies.data.map((policy) => (
                <tr key={policy.id}>
                  <th scope="row">{policy.name}</th>
                  <td className="wrap-anywhere">
                    <span className="mono">{policy.issuer}</span>
                    <br />
                    <span className="muted">for </span>
                    <span className="mono">{policy.audience}</span>
                  </td>
                  <td>
                    <ul className="plain">
                      {Object.entries(policy.conditions).map(([claim, value]) => (
                        <li key={claim} className="mono wrap-anywhere">
                          {claim}={value}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{policy.scope ? policy.scope.map((entry) => `${entry.project_id}: ${entry.permissions.join(', ')}`).join('; ') : 'Everything you may do'}</td>
                  <td className="actions-cell">
                    <ConfirmButton
                      label="Delete"
                      accessibleLabel={`Delete trust policy ${policy.name}`}
                      question={
                        <>
                          Delete the trust policy <strong>{policy.name}</strong>? CI jobs it matched can no longer exchange their id-tokens.
                        </>
                      }
                      confirmLabel="Delete trust policy"
                      onConfirm={async () => {
                        await must(api.DELETE('/users/{user_id}/trust-policies/{policy_id}', { params: { path: { user_id: 'me', policy_id: policy.id } } }));
                        setNotice(`The trust policy “${policy.name}” was deleted.`);
                        policies.reload();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>You have no trust policies yet.</p>
      )}
    </section>
  );
}

/** `claim=value` per line, as `pier trust-policy:create --condition` takes them. */
function parseLines(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const equals = line.indexOf('=');
      return equals > 0 ? [line.slice(0, equals).trim(), line.slice(equals + 1).trim()] : [line, ''];
    });
}

function CreateTrustPolicyForm({ onCreated }: { onCreated: (policy: TrustPolicy) => void }) {
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState(GITHUB_ISSUER);
  const [audience, setAudience] = useState(window.location.origin);
  const [conditions, setConditions] = useState('');
  const [scope, setScope] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const scopeEntries = parseLines(scope).map(([project_id, permissions]) => ({ project_id, permissions: permissions.split(',').map((p) => p.trim()).filter(Boolean) }));
      const body: TrustPolicyInput = {
        name,
        issuer: issuer.trim(),
        audience: audience.trim(),
        conditions: Object.fromEntries(parseLines(conditions)),
        ...(scopeEntries.length > 0 ? { scope: scopeEntries } : {}),
      };
      const created = await must(api.POST('/users/{user_id}/trust-policies', { params: { path: { user_id: 'me' } }, body }));
      setName('');
      setConditions('');
      setScope('');
      onCreated(created);
    });
  }

  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="create-trust-policy-heading">
      <h3 id="create-trust-policy-heading">Add trust policy</h3>
      <div className="row">
        <label>
          Policy name
          <input name="policy_name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Issuer
          <input name="issuer" type="url" required value={issuer} onChange={(e) => setIssuer(e.target.value)} />
        </label>
        <label>
          Audience
          <input name="audience" required value={audience} onChange={(e) => setAudience(e.target.value)} />
        </label>
      </div>
      <label>
        Conditions
        <textarea
          name="conditions"
          className="mono"
          rows={3}
          required
          value={conditions}
          placeholder={'repository=acme/app\nref=refs/heads/*'}
          aria-describedby="conditions-hint"
          onChange={(e) => setConditions(e.target.value)}
        />
      </label>
      <p id="conditions-hint" className="hint">
        One <code>claim=value</code> per line; <code>*</code> matches anything. At least one of <code>sub</code>, <code>repository</code>,{' '}
        <code>ref</code>, <code>environment</code>, <code>project_path</code>…
      </p>
      <label>
        Scope <span className="muted">(optional)</span>
        <textarea
          name="scope"
          className="mono"
          rows={2}
          value={scope}
          placeholder="abc123def4567=viewer,development:contributor"
          aria-describedby="scope-hint"
          onChange={(e) => setScope(e.target.value)}
        />
      </label>
      <p id="scope-hint" className="hint">
        One <code>project=permissions</code> per line to give the CI less than you have; empty: everything you may do.
      </p>
      <ErrorMessage error={error} />
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add trust policy'}
        </button>
      </div>
    </form>
  );
}
