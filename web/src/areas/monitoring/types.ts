// The dashboard's API data, named from the generated schema.
import type { Answer } from "../../ui/schema";

export type { StatusCounts } from "../../ui/schema";

export type Dashboard = Answer<"/api/v1/dashboard">;
export type Share = Dashboard["overall"];
export type AttentionItem = Dashboard["attention"][number];
export type GettingStarted = Answer<"/api/v1/dashboard/getting-started">;
export type GettingStartedStep = GettingStarted["steps"][number];
export type GettingStartedKey = GettingStartedStep["key"];
export type OutgoingMail = Answer<"/api/v1/outgoing-mail">;
