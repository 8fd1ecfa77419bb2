import { useState } from 'react';
import type { User } from '@pier/api';
import { api, must } from '../api';
import { Badge, ConfirmButton, useLoad } from '../ui';

/**
 * Whether the signed-in user may deactivate users (instance admins), as the policy answers it:
 * `/users/me` does not say who is an instance admin, `GET /auth/check` does.
 */
export function useMayDeactivateUsers(): boolean {
  const check = useLoad(() => must(api.GET('/auth/check', { params: { query: { action: 'user:deactivate' } } })), 'check:user:deactivate');
  return check.data?.allowed === true;
}

/**
 * The account behind a row, for those who may deactivate it: lists such as project access do not
 * carry the `deactivated` flag. Nothing is loaded when `manageable` is false.
 */
export function useManagedAccount(userId: string, manageable: boolean) {
  const loaded = useLoad(async () => (manageable ? must(api.GET('/users/{user_id}', { params: { path: { user_id: userId } } })) : null), `user:${userId}:${manageable}`);
  const [changed, setChanged] = useState<User | null>(null);
  return { account: changed ?? loaded.data ?? null, changed: setChanged };
}

export function DeactivatedBadge({ account }: { account: User | null }) {
  return account?.deactivated ? <Badge tone="bad">deactivated</Badge> : null;
}

/** Deactivate (after a confirmation: it cuts every credential at once) or reactivate a user. */
export function UserActivationButton({ account, onChanged }: { account: User; onChanged: (account: User, message: string) => void }) {
  const path = { params: { path: { user_id: account.id } } };
  if (account.deactivated) {
    return (
      <ConfirmButton
        label="Reactivate"
        accessibleLabel={`Reactivate ${account.email}`}
        danger={false}
        question={
          <>
            Let <strong>{account.email}</strong> log in again? Credentials issued before the deactivation stay dead: they need new API tokens and SSH
            certificates.
          </>
        }
        confirmLabel="Reactivate user"
        onConfirm={async () => {
          const updated = await must(api.POST('/users/{user_id}/reactivate', path));
          onChanged(updated, `${account.email} was reactivated and can log in again.`);
        }}
      />
    );
  }
  return (
    <ConfirmButton
      label="Deactivate"
      accessibleLabel={`Deactivate ${account.email}`}
      question={
        <>
          Deactivate <strong>{account.email}</strong>? This cuts every credential at once, on every node: API tokens, access tokens, console sessions and SSH
          (running sessions included). Reactivating later does not bring them back.
        </>
      }
      confirmLabel="Deactivate user"
      onConfirm={async () => {
        const updated = await must(api.POST('/users/{user_id}/deactivate', path));
        onChanged(updated, `${account.email} was deactivated: every credential they had has stopped working.`);
      }}
    />
  );
}
