// The dashboard's list of my open access tasks (as a system owner); nothing when there are none.
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { formatDateTime, plural } from "../../ui/format";
import { useCan } from "../../ui/session";
import { useAccessTasks } from "./access-workflow.queries";
import { taskWhat } from "./TasksPage";

export function MyAccessTasks() {
  const can = useCan();
  const tasks = useAccessTasks({ mine: "true", state: "open" }, can("access.self"));
  const items = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.length === 0) return null;
  const overdue = items.filter((t) => t.overdue).length;
  return (
    <Callout
      tone={overdue > 0 ? "danger" : "warning"}
      title={`You have ${plural(items.length, "access task")} to carry out${overdue > 0 ? ` (${overdue} overdue)` : ""}`}
    >
      <ul className="plain-list">
        {items.slice(0, 5).map((task) => (
          <li key={task.id}>
            {taskWhat(task)}
            {task.person ? ` for ${task.person.name}` : ""}, due {formatDateTime(task.dueAt)}
          </li>
        ))}
      </ul>
      <p>
        <Link to="/access/tasks">Go to my access tasks</Link>
      </p>
    </Callout>
  );
}
