import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CreatedApiToken } from '@pier/api';
import { api, must } from '../api';
import { Link, paths } from '../router';
import { useSession } from '../session';
import { TrustPoliciesSection } from './TrustPoliciesSection';
import { ActionsHeader, ConfirmButton, DateTime, ErrorMessage, Loading, Notice, PageTitle, Tabs, useAction, useLoad } from '../ui';

/** My profile › API tokens: list, create (shown once, with Copy), revoke; then trust policies (keyless CI). */
export function ApiTokensPage() {
  const { user } = useSession();
  const tokens = useLoad(() => must(api.GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } })), 'tokens');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  return (
    <>
      <PageTitle title="API tokens">My profile</PageTitle>
      <p className="lead">
        {user?.first_name || user?.last_name ? `${user.first_name} ${user.last_name}`.trim() + ' · ' : ''}
        {user?.email}
      </p>
      <Tabs label="Profile sections">
        <li>
          <Link to={paths.apiTokens}>API tokens</Link>
        </li>
      </Tabs>
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="hint">
          API tokens let scripts and CI jobs use the <code>pier</code> CLI as you: set <code>PIER_CLI_TOKEN</code> or run{' '}
          <code>pier auth:api-token-login</code>.
        </p>
        {created ? (
          <NewToken token={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm
            onCreated={(token) => {
              setRevoked(null);
              setCreated(token);
              tokens.reload();
            }}
          />
        )}
        {revoked && <Notice>The token “{revoked}” was revoked.</Notice>}
        {tokens.loading ? (
          <Loading what="API tokens" />
        ) : tokens.error ? (
          <ErrorMessage error={tokens.error} />
        ) : tokens.data && tokens.data.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <ActionsHeader />
                </tr>
              </thead>
              <tbody>
                {tokens.data.map((token) => (
                  <tr key={token.id}>
                    <th scope="row">{token.name}</th>
                    <td>
                      <DateTime value={token.created_at} />
                    </td>
                    <td>
                      <DateTime value={token.last_used_at} empty="Never" />
                      {token.last_used_ip && <span className="muted"> from {token.last_used_ip}</span>}
                    </td>
                    <td>
                      <DateTime value={token.expires_at} empty="Never" />
                    </td>
                    <td className="actions-cell">
                      <ConfirmButton
                        label="Revoke"
                        accessibleLabel={`Revoke ${token.name}`}
                        question={
                          <>
                            Revoke the API token <strong>{token.name}</strong>? Scripts using it stop working within a second.
                          </>
                        }
                        confirmLabel="Revoke token"
                        onConfirm={async () => {
                          await must(api.DELETE('/users/{user_id}/api-tokens/{token_id}', { params: { path: { user_id: 'me', token_id: token.id } } }));
                          setRevoked(token.name);
                          tokens.reload();
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>You have no API tokens yet.</p>
        )}
      </section>
      <TrustPoliciesSection />
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      // A date input gives a day: the token stays valid until the end of that day (UTC).
      const expires_at = expiry ? new Date(`${expiry}T23:59:59Z`).toISOString() : null;
      onCreated(await must(api.POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name, expires_at } })));
    });
  }

  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="create-token-heading">
      <h3 id="create-token-heading">Create API token</h3>
      <div className="row">
        <label>
          Token name
          <input name="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-describedby="token-name-hint" />
        </label>
        <label>
          Expires on <span className="muted">(optional)</span>
          <input type="date" name="expires_at" value={expiry} min={new Date().toISOString().slice(0, 10)} onChange={(e) => setExpiry(e.target.value)} />
        </label>
      </div>
      <p id="token-name-hint" className="hint">
        Name it after where it will be used, e.g. “github-actions” or “cron”.
      </p>
      <ErrorMessage error={error} />
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create API token'}
        </button>
      </div>
    </form>
  );
}

function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token ?? '');
      setCopied('yes');
    } catch {
      // Clipboard refused (permissions, insecure origin): select the text for a manual copy.
      field.current?.select();
      setCopied('failed');
    }
  }

  return (
    <section className="card new-token" aria-labelledby="new-token-heading">
      <h3 id="new-token-heading" tabIndex={-1} ref={heading}>
        Your new API token “{token.name}”
      </h3>
      <p className="warning" role="note">
        <strong>Copy it now.</strong> This token will not be shown again: Pier keeps only a fingerprint of it.
      </p>
      <div className="row copy-row">
        <label className="grow">
          API token
          <input ref={field} readOnly value={token.token ?? ''} className="mono" onFocus={(e) => e.target.select()} />
        </label>
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="hint">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not use the clipboard: the token is selected, press Ctrl+C.' : ''}
      </p>
      <button type="button" onClick={onDone}>
        Done, I have copied it
      </button>
    </section>
  );
}
