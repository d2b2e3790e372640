// Access tasks: the work that gives and takes away access, assigned to each system's owner.
// Mine or everyone's (with access.read), by state; the assignee (or an admin) marks a task
// done once carried out on the system, or cancels it with a reason.
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime, plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import type { AccessTask, TaskFilter } from "./access-workflow.api";
import { useAccessTasks, useTaskActions } from "./access-workflow.queries";

const REASONS: Record<AccessTask["reason"], string> = {
  joiner: "Joiner",
  leaver: "Leaver",
  request: "Request",
  role_change: "Role change",
  review: "Access review",
  manual: "Manual",
};

/** What the task asks for, in words: "Revoke editor on CRM", "Remove account jdoe". */
export function taskWhat(task: AccessTask): string {
  if (task.account) return `Remove account ${task.account.username} on ${task.system.name}`;
  if (task.accessKey)
    return `Revoke key ${task.accessKey.name} (remove it from ${task.system.name})`;
  const role = task.grant ? `${task.grant.systemRole}${task.grant.admin ? " (admin)" : ""}` : "";
  return `${task.kind === "grant" ? "Give" : "Revoke"} ${role} on ${task.system.name}`;
}

function TaskState({ task }: { task: AccessTask }) {
  if (task.state === "done") return <Badge tone="success">Done</Badge>;
  if (task.state === "cancelled") return <Badge>Cancelled</Badge>;
  if (task.overdue) return <Badge tone="danger">Overdue</Badge>;
  return <Badge tone="warning">Open</Badge>;
}

function CancelTaskDialog({ task, onClose }: { task: AccessTask | null; onClose: () => void }) {
  const { cancel } = useTaskActions();
  const [reason, setReason] = useState("");
  return (
    <Modal open={task !== null} title="Cancel the task" onClose={onClose}>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!task) return;
          await cancel.mutateAsync({ task, reason });
          setReason("");
          onClose();
        }}
      >
        <div className="modal-body">
          {task && <p>{taskWhat(task)}</p>}
          <TextAreaField
            label="Why it is not needed"
            value={reason}
            required
            onChange={(e) => setReason(e.target.value)}
          />
          <FormAlert error={cancel.error} />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="button button-danger" disabled={cancel.isPending}>
            {cancel.isPending ? "Working…" : "Cancel the task"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A table of tasks with their actions (for the caller's open tasks they may work). */
export function TaskTable({ tasks, label }: { tasks: AccessTask[]; label: string }) {
  const { complete } = useTaskActions();
  const [cancelling, setCancelling] = useState<AccessTask | null>(null);
  return (
    <>
      <FormAlert error={complete.error} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <section className="table-wrap" aria-label={label} tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Task</th>
              <th scope="col">Why</th>
              <th scope="col">Due</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.id} data-task-id={task.id}>
                <td>
                  {task.person ? (
                    <Link to={`/people/${task.person.id}`}>{task.person.name}</Link>
                  ) : (
                    "—"
                  )}
                  {task.person && <div className="cell-secondary">{task.person.reference}</div>}
                </td>
                <td>
                  {taskWhat(task)}
                  {task.assignee && (
                    <div className="cell-secondary">Assigned to {task.assignee.name}</div>
                  )}
                </td>
                <td>{REASONS[task.reason]}</td>
                <td>{formatDateTime(task.dueAt)}</td>
                <td>
                  <TaskState task={task} />
                </td>
                <td className="cell-actions">
                  {task.mayAct && (
                    <>
                      <button
                        type="button"
                        className="button button-primary button-small"
                        disabled={complete.isPending}
                        onClick={() => complete.mutate(task)}
                      >
                        Mark done<span className="visually-hidden">: {taskWhat(task)}</span>
                      </button>{" "}
                      <button
                        type="button"
                        className="button button-ghost button-small"
                        onClick={() => setCancelling(task)}
                      >
                        Cancel<span className="visually-hidden">: {taskWhat(task)}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <CancelTaskDialog task={cancelling} onClose={() => setCancelling(null)} />
    </>
  );
}

export function TasksPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const everyone = can("access.read") && params.get("mine") === "false";
  const state = (params.get("state") ?? "open") as NonNullable<TaskFilter["state"]>;
  const filter: TaskFilter = { state, ...(everyone ? {} : { mine: "true" }) };
  const tasks = useAccessTasks(filter);
  const items = tasks.data?.pages.flatMap((p) => p.items) ?? [];

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    next.set(name, value);
    setParams(next, { replace: true });
  }

  return (
    <>
      <PageHeader
        title="Access tasks"
        description="Access to give or take away on the systems you own: carry each out on the system, then mark it done."
      />
      <search className="toolbar" aria-label="Filter tasks">
        {can("access.read") && (
          <SelectField
            label="Whose"
            value={everyone ? "false" : "true"}
            onChange={(e) => set("mine", e.target.value)}
          >
            <option value="true">Mine</option>
            <option value="false">Everyone's</option>
          </SelectField>
        )}
        <SelectField label="State" value={state} onChange={(e) => set("state", e.target.value)}>
          <option value="open">Open</option>
          <option value="overdue">Overdue</option>
          <option value="done">Done</option>
          <option value="cancelled">Cancelled</option>
          <option value="all">All</option>
        </SelectField>
      </search>
      {tasks.isPending && <PageLoading label="Loading tasks" />}
      {tasks.isError && <LoadError error={tasks.error} onRetry={() => tasks.refetch()} />}
      {tasks.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "task")}
          {tasks.hasNextPage ? " so far" : ""}
        </p>
      )}
      {tasks.isSuccess && items.length === 0 && (
        <EmptyState icon="check" title="No tasks here">
          <p>Nothing to give or take away right now.</p>
        </EmptyState>
      )}
      {items.length > 0 && <TaskTable tasks={items} label="Access tasks" />}
      {tasks.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => tasks.fetchNextPage()}
            disabled={tasks.isFetchingNextPage}
          >
            {tasks.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </>
  );
}
