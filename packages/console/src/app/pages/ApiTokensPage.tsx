import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CreatedApiToken } from '@pier/api';
import { api, must } from '../api';
import { Link, paths } from '../router';
import { useSession } from '../session';
import { TrustPoliciesSection } from './TrustPoliciesSection';
import { ActionsHeader, ConfirmButton, DateTime, ErrorMessage, Loading, Notice, PageTitle, Tabs, useAction, useLoad } from '../ui';
import { defaultExpiry, ExpiryBadge, expiryOptions, lastAllowedDay } from './api-token-expiry';

/** The list answers the instance's maximum token lifetime, if it has one, in this header (seconds). */
const MAX_LIFETIME_HEADER = 'pier-api-token-max-lifetime';
import { noTokenLimits, TokenLimitsFields, tokenLimitsBody, TokenLimitsSummary, type ProjectChoice } from './api-tokens/TokenLimitsFields';
import { RotateTokenButton, RotationNotice, RotationStatus } from './api-tokens/RotateTokenButton';

/** My profile › API tokens: list, create (shown once, with Copy), rotate, revoke; then trust policies (keyless CI). */
export function ApiTokensPage() {
  const { user } = useSession();
  const tokens = useLoad(async () => {
    const result = await api.GET('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } } });
    const list = await must(Promise.resolve(result));
    const max = Number(result.response.headers.get(MAX_LIFETIME_HEADER));
    return { list, maxLifetimeSeconds: Number.isInteger(max) && max > 0 ? max : null };
  }, 'tokens');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  // The projects a new token may be limited to, and the titles its limits are listed with.
  const projects = useLoad(() => must(api.GET('/projects')), 'projects');
  const showSecret = (token: CreatedApiToken) => {
    setRevoked(null);
    setCreated(token);
    tokens.reload();
  };

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
            key={tokens.data?.maxLifetimeSeconds ?? 'none'}
            maxLifetimeSeconds={tokens.data?.maxLifetimeSeconds ?? null}
            projects={projects.data ?? []}
            onCreated={showSecret}
          />
        )}
        {revoked && <Notice>The token “{revoked}” was revoked.</Notice>}
        {tokens.loading ? (
          <Loading what="API tokens" />
        ) : tokens.error ? (
          <ErrorMessage error={tokens.error} />
        ) : tokens.data && tokens.data.list.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Limits</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <ActionsHeader />
                </tr>
              </thead>
              <tbody>
                {tokens.data.list.map((token) => (
                  <tr key={token.id}>
                    <th scope="row">
                      {token.name}
                      <RotationStatus token={token} />
                    </th>
                    <td>
                      <TokenLimitsSummary token={token} projects={projects.data ?? []} />
                    </td>
                    <td>
                      <DateTime value={token.created_at} />
                    </td>
                    <td>
                      <DateTime value={token.last_used_at} empty="Never" />
                      {token.last_used_ip && <span className="muted"> from {token.last_used_ip}</span>}
                    </td>
                    <td>
                      <DateTime value={token.expires_at} empty="Never" /> <ExpiryBadge token={token} />
                    </td>
                    <td className="actions-cell">
                      <RotateTokenButton token={token} onRotated={showSecret} />
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

function CreateTokenForm({
  maxLifetimeSeconds,
  projects,
  onCreated,
}: {
  maxLifetimeSeconds: number | null;
  projects: readonly ProjectChoice[];
  onCreated: (token: CreatedApiToken) => void;
}) {
  const options = expiryOptions(maxLifetimeSeconds);
  const [name, setName] = useState('');
  const [choice, setChoice] = useState(() => defaultExpiry(options));
  const [date, setDate] = useState('');
  const [limits, setLimits] = useState(noTokenLimits);
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const seconds = options.find((option) => option.value === choice)?.seconds ?? null;
      // A date input gives a day: the token stays valid until the end of that day (UTC).
      const expires_at = choice === 'date' ? new Date(`${date}T23:59:59Z`).toISOString() : seconds === null ? null : new Date(Date.now() + seconds * 1000).toISOString();
      onCreated(await must(api.POST('/users/{user_id}/api-tokens', { params: { path: { user_id: 'me' } }, body: { name, expires_at, ...tokenLimitsBody(limits) } })));
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
          Expires after
          <select name="expires" value={choice} onChange={(e) => setChoice(e.target.value)} aria-describedby="token-expiry-hint">
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
            <option value="date">On a date…</option>
          </select>
        </label>
        {choice === 'date' && (
          <label>
            Expires on
            <input
              type="date"
              name="expires_at"
              required
              value={date}
              min={new Date().toISOString().slice(0, 10)}
              max={lastAllowedDay(maxLifetimeSeconds)}
              onChange={(e) => setDate(e.target.value)}
            />
          </label>
        )}
      </div>
      <p id="token-name-hint" className="hint">
        Name it after where it will be used, e.g. “github-actions” or “cron”.
      </p>
      <p id="token-expiry-hint" className="hint">
        {maxLifetimeSeconds === null
          ? 'You get an e-mail 7 days and 1 day before a token expires.'
          : 'This instance limits how long API tokens live. You get an e-mail 7 days and 1 day before a token expires.'}
      </p>
      <TokenLimitsFields projects={projects} limits={limits} onChange={setLimits} />
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
        {token.rotated_at ? `New secret for the API token “${token.name}”` : `Your new API token “${token.name}”`}
      </h3>
      {token.rotated_at && <RotationNotice token={token} />}
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
