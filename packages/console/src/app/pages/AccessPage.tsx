import { useState, type FormEvent } from 'react';
import type { EnvironmentType, ProjectUserAccess } from '@pier/api';
import { api, can, must } from '../api';
import { useSession } from '../session';
import { ActionsHeader, Badge, ConfirmButton, DateTime, ErrorMessage, Loading, Notice, PageTitle, useAction, useLoad } from '../ui';
import { ProjectHeader, useProject } from './ProjectPage';
import { choiceFromPermissions, describeType, environmentTypes, permissionsFromChoice, RoleFields, type RoleChoice } from './access-roles';
import { DeactivatedBadge, useManagedAccount, useMayDeactivateUsers, UserActivationButton } from './user-activation';
import { AddUserForm } from './AddUserForm';

/** Project Settings › Access: who has which role, pending invitations, Add / edit / remove. */
export function AccessPage({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const access = useLoad(() => must(api.GET('/projects/{project_id}/user-access', { params: { path: { project_id: projectId } } })), `access:${projectId}`);
  const manage = can(project.data, '#manage-access');
  const invitations = useLoad(async () => {
    if (!manage) return [];
    return must(api.GET('/projects/{project_id}/invitations', { params: { path: { project_id: projectId } } }));
  }, `invitations:${projectId}:${manage}`);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const mayDeactivateUsers = useMayDeactivateUsers();

  if (project.loading) return <Loading what="the project" />;
  if (!project.data) return <ErrorMessage error={project.error} />;
  const refresh = () => {
    access.reload();
    invitations.reload();
  };

  return (
    <>
      <PageTitle title={`Access · ${project.data.title}`}>Access</PageTitle>
      <ProjectHeader project={project.data} current="access" />
      <div className="section-head">
        <h2 id="users-heading">Users</h2>
        {manage && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add
          </button>
        )}
      </div>
      {adding && (
        <AddUserForm
          projectId={projectId}
          onCancel={() => setAdding(false)}
          onInvited={(message) => {
            setAdding(false);
            setNotice(message);
            refresh();
          }}
        />
      )}
      {notice && <Notice>{notice}</Notice>}
      {access.loading ? (
        <Loading what="users" />
      ) : access.error ? (
        <ErrorMessage error={access.error} />
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="users-heading">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Project role</th>
                {environmentTypes.map((type) => (
                  <th scope="col" key={type} className="cap">
                    {type}
                  </th>
                ))}
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {access.data?.items.map((item) => (
                <AccessRow key={item.user_id} projectId={projectId} item={item} mayDeactivate={mayDeactivateUsers} onChanged={refresh} onNotice={setNotice} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manage && (
        <>
          <h2 id="invitations-heading">Pending invitations</h2>
          {invitations.loading ? (
            <Loading what="invitations" />
          ) : invitations.error ? (
            <ErrorMessage error={invitations.error} />
          ) : invitations.data && invitations.data.length > 0 ? (
            <div className="table-wrap">
              <table aria-labelledby="invitations-heading">
                <thead>
                  <tr>
                    <th scope="col">E-mail</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Invited by</th>
                    <th scope="col">Expires</th>
                    <ActionsHeader />
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.map((invitation) => (
                    <tr key={invitation.id}>
                      <th scope="row">
                        {invitation.email}
                        {invitation.link && <InvitationLink email={invitation.email} link={invitation.link} />}
                      </th>
                      <td>{[invitation.role, ...invitation.permissions.map((p) => `${p.type}:${p.role}`)].join(', ')}</td>
                      <td>{invitation.owner.display_name}</td>
                      <td>
                        <DateTime value={invitation.expires_at} />
                      </td>
                      <td className="actions-cell">
                        {can(invitation, '#cancel') && (
                          <ConfirmButton
                            label="Cancel invitation"
                            accessibleLabel={`Cancel invitation for ${invitation.email}`}
                            question={<>Cancel the invitation of <strong>{invitation.email}</strong>? The e-mailed link stops working.</>}
                            confirmLabel="Cancel invitation"
                            onConfirm={async () => {
                              await must(api.DELETE('/projects/{project_id}/invitations/{invitation_id}', { params: { path: { project_id: projectId, invitation_id: invitation.id } } }));
                              invitations.reload();
                            }}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>No pending invitations.</p>
          )}
        </>
      )}
    </>
  );
}

function AccessRow({
  projectId,
  item,
  mayDeactivate,
  onChanged,
  onNotice,
}: {
  projectId: string;
  item: ProjectUserAccess;
  mayDeactivate: boolean;
  onChanged: () => void;
  onNotice: (message: string) => void;
}) {
  const { user } = useSession();
  // Instance admins deactivate users where they see them; nobody may deactivate themselves.
  const { account, changed } = useManagedAccount(item.user_id, mayDeactivate && item.user_id !== user?.id);
  const [editing, setEditing] = useState<RoleChoice | null>(null);
  const { busy, error, run } = useAction();
  const choice = choiceFromPermissions(item.permissions);
  const name = [item.user.first_name, item.user.last_name].join(' ').trim();

  function save(event: FormEvent) {
    event.preventDefault();
    if (!editing) return;
    void run(async () => {
      await must(
        api.PATCH('/projects/{project_id}/user-access/{user_id}', {
          params: { path: { project_id: projectId, user_id: item.user_id } },
          body: { permissions: permissionsFromChoice(editing) },
        }),
      );
      setEditing(null);
      onNotice(`Roles of ${item.user.email} updated.`);
      onChanged();
    });
  }

  return (
    <>
      <tr>
        <th scope="row">
          {item.user.email}
          {name && <span className="muted block">{name}</span>}
          {item.user_id === user?.id && <Badge>you</Badge>}
          <DeactivatedBadge account={account} />
        </th>
        <td>
          <Badge tone={choice.role === 'admin' ? 'warn' : 'neutral'}>{choice.role}</Badge>
        </td>
        {environmentTypes.map((type: EnvironmentType) => (
          <td key={type}>{describeType(choice, type)}</td>
        ))}
        <td className="actions-cell">
          {can(item, 'update') && !editing && (
            <button type="button" onClick={() => setEditing(choice)} aria-label={`Edit roles of ${item.user.email}`}>
              Edit
            </button>
          )}
          {can(item, 'delete') && (
            <ConfirmButton
              label="Remove"
              accessibleLabel={`Remove ${item.user.email}`}
              question={<>Remove <strong>{item.user.email}</strong> from this project? Their API tokens keep working for other projects only.</>}
              confirmLabel="Remove user"
              onConfirm={async () => {
                await must(api.DELETE('/projects/{project_id}/user-access/{user_id}', { params: { path: { project_id: projectId, user_id: item.user_id } } }));
                onNotice(`${item.user.email} was removed from the project.`);
                onChanged();
              }}
            />
          )}
          {account && (
            <UserActivationButton
              account={account}
              onChanged={(updated, message) => {
                changed(updated);
                onNotice(message);
              }}
            />
          )}
        </td>
      </tr>
      {editing && (
        <tr>
          <td colSpan={6}>
            <form onSubmit={save} className="card stack" aria-label={`Roles of ${item.user.email}`}>
              <RoleFields choice={editing} onChange={setEditing} />
              <ErrorMessage error={error} />
              <div className="actions">
                <button type="submit" className="primary" disabled={busy}>
                  {busy ? 'Saving…' : 'Save roles'}
                </button>
                <button type="button" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </div>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

/** Without a mail server, the inviting admin passes the sign-up link on: shown only to them. */
function InvitationLink({ email, link }: { email: string; link: string }) {
  return (
    <label className="hint">
      Sign-up link to send {email} (no mail server is configured)
      <input type="text" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
    </label>
  );
}
