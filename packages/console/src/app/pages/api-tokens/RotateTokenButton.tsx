import { useId, useRef, useState, type FormEvent } from 'react';
import type { ApiToken, CreatedApiToken } from '@pier/api';
import { api, must } from '../../api';
import { DateTime, ErrorMessage, useAction } from '../../ui';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** The server's limit: an overlap of at most 30 days. */
const MAX_OVERLAP_SECONDS = 30 * DAY;

type Overlap = 'now' | 'hour' | 'day' | 'custom';
const presets: Array<{ value: Exclude<Overlap, 'custom'>; label: string; seconds: number }> = [
  { value: 'now', label: 'Stops now', seconds: 0 },
  { value: 'hour', label: 'For 1 hour', seconds: HOUR },
  { value: 'day', label: 'For 1 day', seconds: DAY },
];
const units = { minutes: 60, hours: HOUR, days: DAY } as const;
type Unit = keyof typeof units;

/**
 * Rotate: a new secret under the same id and name. The old secret keeps working for the chosen
 * overlap, so running jobs finish while the new one is rolled out.
 */
export function RotateTokenButton({ token, onRotated }: { token: ApiToken; onRotated: (token: CreatedApiToken) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [overlap, setOverlap] = useState<Overlap>('hour');
  const [amount, setAmount] = useState('2');
  const [unit, setUnit] = useState<Unit>('hours');
  const { busy, error, run, clearError } = useAction();

  const overlapSeconds = overlap === 'custom' ? Math.round(Number(amount) * units[unit]) : presets.find((preset) => preset.value === overlap)!.seconds;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const rotated = await must(
        api.POST('/users/{user_id}/api-tokens/{token_id}/rotate', {
          params: { path: { user_id: 'me', token_id: token.id } },
          body: { overlap_seconds: overlapSeconds },
        }),
      );
      dialog.current?.close();
      onRotated(rotated);
    });
  }

  return (
    <>
      <button
        type="button"
        aria-label={`Rotate ${token.name}`}
        onClick={() => {
          clearError();
          dialog.current?.showModal();
        }}
      >
        Rotate
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="confirm">
        <form onSubmit={submit} className="stack">
          <p id={titleId}>
            Rotate the API token <strong>{token.name}</strong>? It gets a new secret, shown once, under the same name.
          </p>
          <fieldset className="overlap">
            <legend>The old secret keeps working</legend>
            {presets.map((preset) => (
              <label key={preset.value} className="check">
                <input type="radio" name="overlap" value={preset.value} checked={overlap === preset.value} onChange={() => setOverlap(preset.value)} />
                {preset.label}
              </label>
            ))}
            <label className="check">
              <input type="radio" name="overlap" value="custom" checked={overlap === 'custom'} onChange={() => setOverlap('custom')} />
              For a custom time
            </label>
            {overlap === 'custom' && (
              <div className="row">
                <label>
                  Overlap
                  <input type="number" name="overlap_amount" required min={0} step="any" value={amount} onChange={(event) => setAmount(event.target.value)} />
                </label>
                <label>
                  Unit
                  <select value={unit} onChange={(event) => setUnit(event.target.value as Unit)}>
                    {Object.keys(units).map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
            )}
          </fieldset>
          {overlap === 'custom' && overlapSeconds > MAX_OVERLAP_SECONDS && <p className="hint">At most 30 days: the server will refuse a longer overlap.</p>}
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Working…' : 'Rotate token'}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** While a rotation's overlap runs, until when the previous secret still works (null once it has stopped). */
function previousSecretUntil(token: ApiToken): string | null {
  const until = token.previous_secret_expires_at;
  return until && Date.parse(until) > Date.now() ? until : null;
}

/** In the token list: the overlap still running, or when the token was last rotated. */
export function RotationStatus({ token }: { token: ApiToken }) {
  const until = previousSecretUntil(token);
  if (until) {
    return (
      <span className="muted block rotation">
        Old secret works until <DateTime value={until} />
      </span>
    );
  }
  if (!token.rotated_at) return null;
  return (
    <span className="muted block rotation">
      Rotated <DateTime value={token.rotated_at} />
    </span>
  );
}

/** Beside a rotated token's new secret: what happens to the old one. */
export function RotationNotice({ token }: { token: ApiToken }) {
  const until = previousSecretUntil(token);
  return (
    <p>
      {until ? (
        <>
          The old secret works until <DateTime value={until} />: switch your scripts to the new one before then.
        </>
      ) : (
        'The old secret has stopped working.'
      )}
    </p>
  );
}
