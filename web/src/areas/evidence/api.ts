// The evidence of one control: listed, uploaded, linked, deleted, downloaded.
import { BASE, del, post, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Evidence, EvidenceLinkInput } from "./types";

export const evidenceApi = {
  evidence: (controlKey: string) => fetchAll<Evidence>("/evidence", { controlKey }),
  /** Fields first, then the `file` part: the server checks the fields before storing the file. */
  uploadEvidence: (form: FormData) => post<Evidence>("/evidence", form),
  addEvidenceLink: (input: EvidenceLinkInput) => post<Evidence>("/evidence/links", input),
  deleteEvidence: (id: string) => del(`/evidence/${seg(id)}`),
  evidenceDownloadUrl: (id: string) => `${BASE}/evidence/${seg(id)}/download`,
};
