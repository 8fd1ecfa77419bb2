import { useState, type FormEvent } from 'react';
import { api, must } from '../api';
import { useSession } from '../session';
import { ErrorMessage, PageTitle, useAction } from '../ui';

export function LoginPage() {
  const { established } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const session = await must(api.POST('/auth/login', { body: { email, password } }));
      await established(session.csrf_token);
    });
  }

  return (
    <section className="narrow">
      <PageTitle title="Log in">Log in to Pier</PageTitle>
      <form onSubmit={submit} className="stack" aria-describedby={error ? 'login-error' : undefined}>
        <label>
          E-mail address
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div id="login-error">
          <ErrorMessage error={error} />
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </section>
  );
}
