import { useEffect, useState } from 'react';
import { api, can, must } from '../api';
import { Link, paths } from '../router';
import { ActionsHeader, Badge, ConfirmButton, DateTime, ErrorMessage, Loading, Notice, PageTitle, useAction, useLoad } from '../ui';
import { EnvironmentHeader, useEnvironment } from './EnvironmentHeader';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Backups of an environment: create (a queued activity), list, restore. */
export function BackupsPage({ projectId, environmentId }: { projectId: string; environmentId: string }) {
  const environment = useEnvironment(projectId, environmentId);
  const path = { projectId, environmentId };
  const backups = useLoad(() => must(api.GET('/projects/{projectId}/environments/{environmentId}/backups', { params: { path } })), `backups:${projectId}:${environmentId}`);
  const [notice, setNotice] = useState<{ text: string; activityId?: string } | null>(null);
  const { busy, error, run } = useAction();
  const pending = backups.data?.some((backup) => backup.status === 'PENDING') ?? false;
  const { reload } = backups;

  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(reload, 1_500);
    return () => clearInterval(timer);
  }, [pending, reload]);

  function createBackup() {
    void run(async () => {
      const accepted = await must(api.POST('/projects/{projectId}/environments/{environmentId}/backup', { params: { path }, body: { safe: true } }));
      const activity = accepted._embedded.activities[0];
      setNotice({ text: 'Backup started.', activityId: activity?.id });
      reload();
    });
  }

  return (
    <>
      <PageTitle title={`Backups · ${environmentId}`}>Backups</PageTitle>
      <EnvironmentHeader projectId={projectId} environmentId={environmentId} type={environment.data?.type} current="backups" />
      <div className="section-head">
        <h2 id="backups-heading">Backups</h2>
        {can(environment.data, '#backup') && (
          <button type="button" className="primary" onClick={createBackup} disabled={busy}>
            {busy ? 'Starting…' : 'Create backup'}
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      {notice && (
        <Notice>
          {notice.text}{' '}
          {notice.activityId && <Link to={`${paths.activities(projectId, environmentId)}?activity=${encodeURIComponent(notice.activityId)}`}>Follow its log</Link>}
        </Notice>
      )}
      {backups.loading && !backups.data ? (
        <Loading what="backups" />
      ) : backups.error ? (
        <ErrorMessage error={backups.error} />
      ) : backups.data && backups.data.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="backups-heading">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Size</th>
                <th scope="col">Expires</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {backups.data.map((backup) => (
                <tr key={backup.id}>
                  <th scope="row">
                    <DateTime value={backup.created_at} />
                    <span className="muted block mono">{backup.id}</span>
                  </th>
                  <td>
                    <Badge tone={backup.status === 'CREATED' ? 'ok' : backup.status === 'FAILED' ? 'bad' : 'info'}>{backup.status.toLowerCase()}</Badge>
                    {backup.automated && <Badge>automated</Badge>}
                  </td>
                  <td>{size(backup.size_used)}</td>
                  <td>
                    <DateTime value={backup.expires_at} empty="Never" />
                  </td>
                  <td className="actions-cell">
                    {can(backup, '#restore') && (
                      <ConfirmButton
                        label="Restore"
                        accessibleLabel={`Restore the backup of ${new Date(backup.created_at).toLocaleString('en')}`}
                        question={<>Restore {environmentId} to this backup? Its current data is replaced.</>}
                        confirmLabel="Restore backup"
                        onConfirm={async () => {
                          const accepted = await must(
                            api.POST('/projects/{projectId}/environments/{environmentId}/backups/{backupId}/restore', { params: { path: { ...path, backupId: backup.id } }, body: {} }),
                          );
                          setNotice({ text: 'Restore started.', activityId: accepted._embedded.activities[0]?.id });
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
        <p>No backups yet.</p>
      )}
    </>
  );
}
