import { z } from "zod";
import { endOfDay } from "../../domain/control-status.ts";

/** `asOf` takes a day (read as the end of that UTC day) or an exact ISO timestamp. */
export const asOfSchema = z.union([
  z.iso.date().transform((day) => endOfDay(day)),
  z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
]);

export const offenderView = z.object({
  kind: z.string(),
  id: z.string(),
  label: z.string(),
  link: z.string(),
  action: z.string(),
  dueAt: z.string().optional(),
  state: z.enum(["failing", "due_soon"]).optional(),
});
