// The controls area's API data, named from the generated schema (the control itself and its
// results are in ui/schema.ts, as other areas show them too).
import type { Answer, RequestBody } from "../../ui/schema";

export type {
  Control,
  ControlStatus,
  ControlTest,
  Offender,
  PersonRef,
  TestState,
} from "../../ui/schema";
export type DailyStatus = Answer<"/api/v1/controls/{key}/history">["items"][number];
export type UpdateControlInput = RequestBody<"/api/v1/controls/{key}", "patch">;
