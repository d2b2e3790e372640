import type { Client, Reply } from "./app.ts";

/** 'YYYY-MM-DD' `days` from today in UTC (negative: in the past). */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface EvidenceFields {
  controlKey: string;
  testKey?: string;
  title: string;
  description?: string;
  evidenceDate: string;
  validUntil?: string;
}

/** Adds a link as evidence through the API; fails the test when refused. */
export async function addLink(client: Client, fields: EvidenceFields & { url: string }) {
  const reply = await client.post("/api/v1/evidence/links", fields);
  if (reply.status !== 201) throw new Error(`link refused: ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; title: string };
}

/** Uploads a small text file as evidence, as multipart/form-data built by the platform. */
export async function uploadText(
  client: Client,
  fields: EvidenceFields,
  fileName: string,
  content = "evidence",
): Promise<Reply> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
  form.append("file", new Blob([content], { type: "text/plain" }), fileName);
  return client.postForm("/api/v1/evidence", form);
}
