import { useState, type FormEvent } from 'react';
import type { EnvironmentVariable } from '@pier/api';
import { api, can, must } from '../api';
import { ActionsHeader, Badge, ConfirmButton, ErrorMessage, Loading, Notice, PageTitle, useAction, useLoad } from '../ui';
import { EnvironmentHeader, useEnvironment } from './EnvironmentHeader';

interface VariableForm {
  name: string;
  value: string;
  is_json: boolean;
  is_sensitive: boolean;
  is_inheritable: boolean;
  is_enabled: boolean;
  visible_build: boolean;
  visible_runtime: boolean;
}

const blank: VariableForm = {
  name: '',
  value: '',
  is_json: false,
  is_sensitive: false,
  is_inheritable: true,
  is_enabled: true,
  visible_build: true,
  visible_runtime: true,
};

/** Environment Settings › Variables. Sensitive values are never sent back by the API, so never shown. */
export function VariablesPage({ projectId, environmentId }: { projectId: string; environmentId: string }) {
  const environment = useEnvironment(projectId, environmentId);
  const path = { projectId, environmentId };
  const variables = useLoad(async () => {
    const data = await must(api.GET('/projects/{projectId}/environments/{environmentId}/variables', { params: { path } }));
    return Array.isArray(data) ? data : [];
  }, `variables:${projectId}:${environmentId}`);
  const [editing, setEditing] = useState<EnvironmentVariable | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const manage = can(environment.data, '#manage-variables');

  return (
    <>
      <PageTitle title={`Variables · ${environmentId}`}>Variables</PageTitle>
      <EnvironmentHeader projectId={projectId} environmentId={environmentId} type={environment.data?.type} current="variables" />
      <div className="section-head">
        <h2 id="variables-heading">Environment variables</h2>
        {manage && editing === null && (
          <button type="button" className="primary" onClick={() => { setNotice(null); setEditing('new'); }}>
            + Add variable
          </button>
        )}
      </div>
      <p className="hint">
        Names starting with <code>env:</code> become environment variables of the application (<code>env:PIER_CLI_TOKEN</code> → <code>$PIER_CLI_TOKEN</code>).
      </p>
      {editing !== null && (
        <VariableEditor
          key={editing === 'new' ? 'new' : editing.name}
          projectId={projectId}
          environmentId={environmentId}
          existing={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            setNotice(message);
            variables.reload();
          }}
        />
      )}
      {notice && <Notice>{notice}</Notice>}
      {variables.loading || environment.loading ? (
        <Loading what="variables" />
      ) : variables.error || environment.error ? (
        <ErrorMessage error={variables.error ?? environment.error} />
      ) : variables.data && variables.data.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="variables-heading">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
                <th scope="col">Options</th>
                <ActionsHeader />
              </tr>
            </thead>
            <tbody>
              {variables.data.map((variable) => (
                <tr key={variable.name}>
                  <th scope="row" className="mono">
                    {variable.name}
                  </th>
                  <td className="mono value">
                    {variable.is_sensitive ? <span className="muted">Hidden (sensitive)</span> : <span className="clip">{variable.value}</span>}
                  </td>
                  <td>
                    <span className="badges">
                      {variable.inherited && <Badge tone="info">inherited</Badge>}
                      {variable.is_sensitive && <Badge tone="warn">sensitive</Badge>}
                      {variable.is_json && <Badge>JSON</Badge>}
                      {variable.visible_build && <Badge>build</Badge>}
                      {variable.visible_runtime && <Badge>runtime</Badge>}
                      {variable.is_inheritable && <Badge>inheritable</Badge>}
                      {!variable.is_enabled && <Badge tone="bad">disabled</Badge>}
                    </span>
                  </td>
                  <td className="actions-cell">
                    {can(variable, '#edit') && editing === null && (
                      <button type="button" aria-label={`Edit ${variable.name}`} onClick={() => { setNotice(null); setEditing(variable); }}>
                        Edit
                      </button>
                    )}
                    {can(variable, '#delete') && (
                      <ConfirmButton
                        label="Delete"
                        accessibleLabel={`Delete ${variable.name}`}
                        question={<>Delete the variable <strong className="mono">{variable.name}</strong> from {environmentId}?</>}
                        confirmLabel="Delete variable"
                        onConfirm={async () => {
                          await must(
                            api.DELETE('/projects/{projectId}/environments/{environmentId}/variables/{variableId}', { params: { path: { ...path, variableId: variable.name } } }),
                          );
                          setNotice(`Variable ${variable.name} deleted.`);
                          variables.reload();
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
        <p>No variables on this environment.</p>
      )}
    </>
  );
}

function VariableEditor({
  projectId,
  environmentId,
  existing,
  onCancel,
  onSaved,
}: {
  projectId: string;
  environmentId: string;
  existing: EnvironmentVariable | null;
  onCancel: () => void;
  onSaved: (message: string) => void;
}) {
  const [form, setForm] = useState<VariableForm>(
    existing
      ? {
          name: existing.name,
          value: existing.is_sensitive ? '' : (existing.value ?? ''),
          is_json: existing.is_json,
          is_sensitive: existing.is_sensitive,
          is_inheritable: existing.is_inheritable,
          is_enabled: existing.is_enabled,
          visible_build: existing.visible_build,
          visible_runtime: existing.visible_runtime,
        }
      : blank,
  );
  const { busy, error, run } = useAction();
  const keepsValue = existing?.is_sensitive === true;
  const set = <K extends keyof VariableForm>(key: K, value: VariableForm[K]) => setForm((current) => ({ ...current, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const path = { projectId, environmentId };
      const { name, value, ...options } = form;
      if (existing) {
        // An empty value on a sensitive variable keeps the stored one (it is never sent to us).
        const body = keepsValue && value === '' ? options : { ...options, value };
        await must(api.PATCH('/projects/{projectId}/environments/{environmentId}/variables/{variableId}', { params: { path: { ...path, variableId: name } }, body }));
        onSaved(`Variable ${name} updated.`);
      } else {
        await must(api.POST('/projects/{projectId}/environments/{environmentId}/variables', { params: { path }, body: { name, value, ...options } }));
        onSaved(`Variable ${name} added.`);
      }
      setForm(blank);
    });
  }

  const checkbox = (key: Exclude<keyof VariableForm, 'name' | 'value'>, label: string, hint?: string) => (
    <label className="check">
      <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
      <span>
        {label}
        {hint && <span className="hint block">{hint}</span>}
      </span>
    </label>
  );

  return (
    <form onSubmit={submit} className="card stack" aria-labelledby="variable-form-heading" autoComplete="off">
      <h3 id="variable-form-heading">{existing ? `Edit ${existing.name}` : 'Add variable'}</h3>
      <label>
        Variable name
        <input
          name="name"
          className="mono"
          required
          maxLength={256}
          readOnly={existing !== null}
          autoFocus={existing === null}
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          aria-describedby="variable-name-hint"
        />
      </label>
      <p id="variable-name-hint" className="hint">
        Prefix with <code>env:</code> to expose it as a shell environment variable.
      </p>
      <label>
        Value
        <textarea
          name="value"
          className="mono"
          rows={3}
          required={!keepsValue}
          autoFocus={existing !== null}
          value={form.value}
          placeholder={keepsValue ? 'Leave empty to keep the current value' : undefined}
          onChange={(e) => set('value', e.target.value)}
        />
      </label>
      <div className="checks">
        {checkbox('is_json', 'JSON value')}
        {checkbox('is_sensitive', 'Sensitive variable', 'The value is write-only: never shown again, in the console or the API.')}
        {checkbox('is_inheritable', 'Inheritable', 'Child environments get it too.')}
        {checkbox('visible_build', 'Available at build time')}
        {checkbox('visible_runtime', 'Available at runtime')}
        {checkbox('is_enabled', 'Enabled')}
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : existing ? 'Save variable' : 'Add variable'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
