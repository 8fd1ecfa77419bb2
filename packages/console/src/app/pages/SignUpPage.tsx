import { useState, type FormEvent } from 'react';
import { api, ApiProblem, must } from '../api';
import { navigate, paths, useLocation } from '../router';
import { useSession } from '../session';
import { ErrorMessage, Loading, PageTitle, useAction, useLoad } from '../ui';

/** The page behind the e-mailed link `/sign-up?invitation=<token>`. */
export function SignUpPage() {
  const token = useLocation().query.get('invitation') ?? '';
  const { established, user } = useSession();
  const invitation = useLoad(async () => {
    if (!token) throw new ApiProblem('This page needs the invitation link from your e-mail. Check that you copied the whole link.', 404, 'not_found');
    return must(api.GET('/invitations/{token}', { params: { path: { token } } }));
  }, token);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  if (invitation.loading) return <Loading what="your invitation" />;
  if (invitation.error || !invitation.data) {
    const gone = invitation.error instanceof ApiProblem && invitation.error.status === 410;
    return (
      <section className="narrow">
        <PageTitle title="Invitation not usable">{gone ? 'This invitation link can no longer be used' : 'Invitation link not valid'}</PageTitle>
        <ErrorMessage error={invitation.error} />
        <p>
          Already have an account? <a href={paths.login}>Log in</a>.
        </p>
      </section>
    );
  }
  const preview = invitation.data;

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      // An existing account accepts as itself: its session when logged in as it, else its password.
      const loggedInAsInvitee = user?.email === preview.email;
      const body = preview.existing_account ? (loggedInAsInvitee ? {} : { password }) : { password, first_name: firstName, last_name: lastName };
      const accepted = await must(api.POST('/invitations/{token}/accept', { params: { path: { token } }, body }));
      await established(accepted.csrf_token);
      navigate(paths.project(accepted.project_id), { replace: true });
    });
  }

  return (
    <section className="narrow">
      <PageTitle title="Sign up">Join {preview.project_title}</PageTitle>
      <p>
        <strong>{preview.inviter}</strong> invited <strong>{preview.email}</strong> to the project <strong>{preview.project_title}</strong> with
        these roles: {preview.permissions.join(', ')}.
      </p>
      <form onSubmit={submit} className="stack">
        {preview.existing_account ? (
          user?.email === preview.email ? (
            <p>You are logged in as {preview.email}: accepting adds the project to your account.</p>
          ) : (
            <>
              <p>This e-mail address already has an account: enter its password to add the project to it.</p>
              <label>
                Password of {preview.email}
                <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
              </label>
            </>
          )
        ) : (
          <>
            <label>
              E-mail address
              <input type="email" value={preview.email} readOnly autoComplete="username" />
            </label>
            <div className="row">
              <label>
                First name
                <input name="first_name" autoComplete="given-name" value={firstName} onChange={(e) => setFirstName(e.target.value)} />
              </label>
              <label>
                Last name
                <input name="last_name" autoComplete="family-name" value={lastName} onChange={(e) => setLastName(e.target.value)} />
              </label>
            </div>
            <label>
              Choose a password
              <input
                type="password"
                name="password"
                autoComplete="new-password"
                minLength={12}
                required
                aria-describedby="password-hint"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <p id="password-hint" className="hint">
              At least 12 characters.
            </p>
          </>
        )}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating your account…' : preview.existing_account ? 'Accept invitation' : 'Create account'}
        </button>
      </form>
    </section>
  );
}
