import { useState, type FormEvent } from 'react';
import { api, ApiProblem, must } from '../api';
import { ErrorMessage, useAction } from '../ui';
import { noTypeRoles, RoleFields, typePermissionsFromChoice, type RoleChoice } from './access-roles';

/** Invites a person or a machine user to the project (an existing account gets access at once). */
export function AddUserForm({ projectId, onCancel, onInvited }: { projectId: string; onCancel: () => void; onInvited: (message: string) => void }) {
  const [email, setEmail] = useState('');
  const [choice, setChoice] = useState<RoleChoice>({ role: 'viewer', types: noTypeRoles() });
  const [needsForce, setNeedsForce] = useState(false);
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const permissions = typePermissionsFromChoice(choice);
      try {
        const invitation = await must(
          api.POST('/projects/{project_id}/invitations', {
            params: { path: { project_id: projectId } },
            body: { email, role: choice.role, permissions, ...(needsForce ? { force: true } : {}) },
          }),
        );
        const expires = new Date(invitation.expires_at).toLocaleDateString('en');
        onInvited(
          invitation.state === 'accepted'
            ? `${email} already has an account: access was granted.`
            : invitation.link
              ? `No mail server is configured: send ${email} the link shown under Pending invitations. It expires on ${expires}.`
              : `Invitation sent to ${email}. It expires on ${expires}.`,
        );
      } catch (problem) {
        if (problem instanceof ApiProblem && problem.status === 409) setNeedsForce(true);
        throw problem;
      }
    });
  }

  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="add-user-heading">
      <h3 id="add-user-heading">Add a user</h3>
      <label>
        E-mail address
        <input type="email" name="email" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <RoleFields choice={choice} onChange={setChoice} />
      <ErrorMessage error={error} />
      {needsForce && <p className="hint">Submit again to replace the pending invitation with a new one.</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Inviting…' : needsForce ? 'Replace invitation' : 'Invite'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
