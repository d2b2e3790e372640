// Incidents: the endpoints (incidents, timeline, lessons learned, action items, exercises).
import { apiRequest, BASE, get, patch, post, put, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type {
  ActionItem,
  Exercise,
  ExerciseSummary,
  Incident,
  IncidentChanges,
  IncidentEntry,
  IncidentSummary,
  Lessons,
  LessonsText,
  MyActionItem,
  NewActionItem,
  NewExercise,
  NewIncident,
  PlanVersion,
  Severities,
  SharedLessons,
} from "./incidents.types";

const one = (id: string) => `/incidents/${seg(id)}`;
const exercise = (id: string) => `/ir-exercises/${seg(id)}`;

export interface IncidentsFilter {
  status: string;
  severity: string;
  q: string;
}

export const incidentsApi = {
  incidents: (filter: IncidentsFilter, cursor?: string) =>
    get<Page<IncidentSummary>>("/incidents", { ...filter, cursor, limit: 50 }),
  incident: (id: string) => get<Incident>(one(id)),
  severities: () => get<Severities>("/incidents/severities"),
  declare: (input: NewIncident) => post<Incident>("/incidents", input),
  update: (id: string, input: IncidentChanges) => patch<Incident>(one(id), input),
  entries: (id: string) => get<{ items: IncidentEntry[] }>(`${one(id)}/entries`),
  addEntry: (id: string, input: { kind: "note" | "action"; body: string; occurredAt?: string }) =>
    post<IncidentEntry>(`${one(id)}/entries`, input),
  attach: (id: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return apiRequest<IncidentEntry>("POST", `${one(id)}/attachments`, form);
  },
  draftNotice: (id: string) => post<{ id: string }>(`${one(id)}/notices`, {}),
  exportUrl: (id: string) => `${BASE}${one(id)}/export.pdf`,

  lessons: (id: string) => get<Lessons>(`${one(id)}/lessons`),
  saveLessons: (id: string, input: LessonsText) => put<Lessons>(`${one(id)}/lessons`, input),
  submitLessons: (id: string) => post<Lessons>(`${one(id)}/lessons/submit`),
  approveLessons: (id: string) => post<Lessons>(`${one(id)}/lessons/approve`),
  addActionItem: (id: string, input: NewActionItem) =>
    post<ActionItem>(`${one(id)}/lessons/action-items`, input),
  completeActionItem: (id: string, note: string) =>
    post<ActionItem>(`/action-items/${seg(id)}/complete`, note ? { note } : {}),
  sharedLessons: (cursor?: string) => get<Page<SharedLessons>>("/lessons", { cursor, limit: 50 }),
  myActionItems: () => get<Page<MyActionItem>>("/my/action-items", { status: "all", limit: 200 }),

  exercises: (cursor?: string) =>
    get<Page<ExerciseSummary>>("/ir-exercises", { cursor, limit: 50 }),
  exercise: (id: string) => get<Exercise>(exercise(id)),
  createExercise: (input: NewExercise) => post<Exercise>("/ir-exercises", input),
  setParticipants: (
    id: string,
    participants: { personId: string; role?: string; attended: boolean }[],
  ) => put<Exercise>(`${exercise(id)}/participants`, { participants }),
  addOutcome: (id: string, input: { description: string; requiresPlanChange: boolean }) =>
    post<unknown>(`${exercise(id)}/outcomes`, input),
  completeExercise: (id: string, summary: string) =>
    post<Exercise>(`${exercise(id)}/complete`, summary ? { summary } : {}),
  linkOutcome: (id: string, policyVersionId: string) =>
    post<unknown>(`/ir-exercise-outcomes/${seg(id)}/link`, { policyVersionId }),
  closeOutcome: (id: string, reason: string) =>
    post<unknown>(`/ir-exercise-outcomes/${seg(id)}/close`, { reason }),
  planVersions: () => get<{ items: PlanVersion[] }>("/ir-exercises/plan-versions"),
};
