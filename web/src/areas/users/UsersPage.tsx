// Settings → Users: who can sign in, with which role, and invitations.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { formatDate, ROLES, roleLabel } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import { useCan, useSession } from "../../ui/session";
import { usersApi } from "./api";
import { EditUserDialog } from "./EditUserDialog";
import { InviteUserDialog } from "./InviteUserDialog";
import { ReactivateUserDialog } from "./ReactivateUserDialog";
import type { User } from "./types";
import { UserStatusBadge } from "./UserStatusBadge";

function RolesHelp() {
  return (
    <details className="card disclosure">
      <summary>What each role can do</summary>
      <dl className="role-list">
        {ROLES.map((role) => (
          <div key={role.value}>
            <dt>{role.label}</dt>
            <dd>{role.description}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

interface UserTableProps {
  users: User[];
  onEdit: (user: User) => void;
  onDeactivate: (user: User) => void;
  onReactivate: (user: User) => void;
}

function UserTable({ users, onEdit, onDeactivate, onReactivate }: UserTableProps) {
  const can = useCan();
  const { user: me } = useSession();
  const manage = can("users.manage");
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="User list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Access expires</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-user-email={user.email}>
              <td>
                <div className="cell-primary">
                  {user.name}
                  {user.id === me.id && <span className="muted"> (you)</span>}
                </div>
                <div className="cell-secondary">{user.email}</div>
              </td>
              <td>{roleLabel(user.role)}</td>
              <td>
                <UserStatusBadge status={user.status} />
              </td>
              <td>{user.mfaEnabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}</td>
              <td>
                {user.accessExpiresAt ? (
                  formatDate(user.accessExpiresAt)
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
              {manage && (
                <td className="cell-actions">
                  {user.status === "deactivated" && (
                    <button
                      type="button"
                      className="button button-ghost button-small"
                      onClick={() => onReactivate(user)}
                    >
                      Reactivate<span className="visually-hidden"> {user.name}</span>
                    </button>
                  )}
                  {user.status !== "deactivated" && (
                    <>
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        onClick={() => onEdit(user)}
                      >
                        Edit<span className="visually-hidden"> {user.name}</span>
                      </button>
                      {user.id !== me.id && (
                        <button
                          type="button"
                          className="button button-ghost-danger button-small"
                          onClick={() => onDeactivate(user)}
                        >
                          Deactivate<span className="visually-hidden"> {user.name}</span>
                        </button>
                      )}
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function useDeactivate(onDone: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: User) => usersApi.deactivateUser(user.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users });
      onDone();
    },
  });
}

export function UsersPage() {
  const can = useCan();
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [reactivating, setReactivating] = useState<User | null>(null);
  const deactivate = useDeactivate(() => setDeactivating(null));
  const users = useInfiniteQuery({
    queryKey: keys.users,
    queryFn: ({ pageParam }) => usersApi.users(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const closeDeactivate = () => {
    deactivate.reset();
    setDeactivating(null);
  };

  return (
    <>
      <PageHeader
        title="Users"
        eyebrow="Settings"
        description="Everyone who can sign in to Attest, their role, and whether they protect their account with two-factor authentication."
        actions={
          can("users.manage") && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setInviting(true)}
            >
              <Icon name="plus" />
              Invite user
            </button>
          )
        }
      />
      {users.isPending && <PageLoading label="Loading users" />}
      {users.isError && <LoadError error={users.error} onRetry={() => users.refetch()} />}
      {users.isSuccess && (
        <UserTable
          users={users.data.pages.flatMap((p) => p.items)}
          onEdit={setEditing}
          onDeactivate={setDeactivating}
          onReactivate={setReactivating}
        />
      )}
      {users.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => users.fetchNextPage()}
            disabled={users.isFetchingNextPage}
          >
            {users.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      <RolesHelp />
      <InviteUserDialog open={inviting} onClose={() => setInviting(false)} />
      <EditUserDialog user={editing} onClose={() => setEditing(null)} />
      <ReactivateUserDialog user={reactivating} onClose={() => setReactivating(null)} />
      <ConfirmDialog
        open={deactivating !== null}
        title={`Deactivate ${deactivating?.name ?? "user"}?`}
        confirmLabel="Deactivate"
        pending={deactivate.isPending}
        error={<FormAlert error={deactivate.error} />}
        onConfirm={() => deactivating && deactivate.mutate(deactivating)}
        onClose={closeDeactivate}
      >
        <p>
          They are signed out everywhere and can no longer sign in. Their records and their history
          in the audit log are kept, and an owner or admin can reactivate the account later.
        </p>
      </ConfirmDialog>
    </>
  );
}
