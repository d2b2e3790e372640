import { isoDay } from "../../domain/dates.ts";

/** The mail a system owner gets about their access tasks: new ones and overdue ones. */
export interface TaskLine {
  kind: "grant" | "revoke";
  personName: string;
  systemName: string;
  dueAt: Date;
}

export function taskMail(
  input: { name: string; link: string; tasks: TaskLine[] },
  now: Date,
): { subject: string; text: string } {
  const overdue = input.tasks.filter((task) => task.dueAt < now);
  const fresh = input.tasks.filter((task) => task.dueAt >= now);
  const line = (task: TaskLine) =>
    `- ${task.kind === "grant" ? "Give" : "Revoke"} ${task.personName}'s access on ${task.systemName} (due ${isoDay(task.dueAt)})`;
  const subject =
    overdue.length > 0
      ? `Overdue: ${overdue.length} access task${overdue.length === 1 ? "" : "s"} on your systems`
      : `New: ${fresh.length} access task${fresh.length === 1 ? "" : "s"} on your systems`;
  const text = [
    `Hello ${input.name},`,
    "",
    ...(overdue.length > 0 ? ["These access tasks are overdue:", ...overdue.map(line), ""] : []),
    ...(fresh.length > 0 ? ["These access tasks are new:", ...fresh.map(line), ""] : []),
    "Carry each out on the system, then mark it done in Attest:",
    "",
    input.link,
    "",
    "— Attest",
  ].join("\n");
  return { subject, text };
}
