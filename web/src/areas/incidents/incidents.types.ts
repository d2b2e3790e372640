// The incidents area's data (incidents, timeline, lessons learned, action items, exercises of
// the plan), named from the generated schema (web/src/api/schema.d.ts).
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type Incident = Answer<"/api/v1/incidents/{id}">;
export type IncidentSummary = ItemOf<"/api/v1/incidents">;
export type NewIncident = RequestBody<"/api/v1/incidents", "post">;
export type IncidentChanges = RequestBody<"/api/v1/incidents/{id}", "patch">;
export type IncidentEntry = ItemOf<"/api/v1/incidents/{id}/entries">;
export type Severities = Answer<"/api/v1/incidents/severities">;
export type Severity = NonNullable<Incident["severity"]>;
export type IncidentStatus = Incident["status"];

export type Lessons = Answer<"/api/v1/incidents/{id}/lessons">;
export type LessonsText = RequestBody<"/api/v1/incidents/{id}/lessons", "put">;
export type ActionItem = Lessons["actionItems"][number];
export type NewActionItem = RequestBody<"/api/v1/incidents/{id}/lessons/action-items", "post">;
/** One of the shared lessons (GET /lessons), with its incident. */
export type SharedLessons = ItemOf<"/api/v1/lessons">;
/** One of my action items (GET /my/action-items), with its incident. */
export type MyActionItem = ItemOf<"/api/v1/my/action-items">;

export type Exercise = Answer<"/api/v1/ir-exercises/{id}">;
export type ExerciseSummary = ItemOf<"/api/v1/ir-exercises">;
export type ExerciseOutcome = Exercise["outcomes"][number];
export type NewExercise = RequestBody<"/api/v1/ir-exercises", "post">;
export type PlanVersion = ItemOf<"/api/v1/ir-exercises/plan-versions">;
