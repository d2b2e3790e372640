import { z } from "zod";

/** A notice drafted from an incident: what is not given is prefilled from the incident. */
export const noticeFromIncident = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    body: z.string().max(100_000).optional(),
  })
  .strict();
