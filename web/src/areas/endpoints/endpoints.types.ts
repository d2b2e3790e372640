// The endpoints area's data (endpoints and their live TLS probes), named from the generated
// schema (web/src/api/schema.d.ts).
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type Endpoint = Answer<"/api/v1/endpoints/{id}">;
export type EndpointStatus = Endpoint["status"];
export type Probe = ItemOf<"/api/v1/endpoints/{id}/probes">;
export type NewEndpoint = RequestBody<"/api/v1/endpoints", "post">;
export type EndpointChanges = RequestBody<"/api/v1/endpoints/{id}", "patch">;
