import { isoDay } from "../../domain/dates.ts";

/** The mail a reviewer gets about their undecided items: per campaign, how many and when due. */
export interface ReminderLine {
  name: string;
  dueAt: Date;
  undecided: number;
}

export function reminderMail(
  input: { name: string; link: string; campaigns: ReminderLine[] },
  now: Date,
): { subject: string; text: string } {
  const total = input.campaigns.reduce((sum, c) => sum + c.undecided, 0);
  const overdue = input.campaigns.some((c) => c.dueAt < now);
  const items = `${total} access review item${total === 1 ? "" : "s"}`;
  const subject = overdue ? `Overdue: ${items} to decide` : `To decide: ${items}`;
  const line = (c: ReminderLine) =>
    `- ${c.name}: ${c.undecided} undecided, due ${isoDay(c.dueAt)}${c.dueAt < now ? " (overdue)" : ""}`;
  const text = [
    `Hello ${input.name},`,
    "",
    "You review who keeps access to these systems. Decide keep or revoke for each item:",
    ...input.campaigns.map(line),
    "",
    input.link,
    "",
    "— Attest",
  ].join("\n");
  return { subject, text };
}
