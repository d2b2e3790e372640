// Endpoints: the API routes (endpoints, probes) and the systems they may belong to.
import { get, patch, post, seg } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Endpoint, EndpointChanges, NewEndpoint, Probe } from "./endpoints.types";

const one = (id: string) => `/endpoints/${seg(id)}`;

export const endpointsApi = {
  endpoints: () => get<{ items: Endpoint[] }>("/endpoints").then((r) => r.items),
  endpoint: (id: string) => get<Endpoint>(one(id)),
  probes: (id: string) =>
    get<{ items: Probe[] }>(`${one(id)}/probes`, { limit: 200 }).then((r) => r.items),
  register: (input: NewEndpoint) => post<Endpoint>("/endpoints", input),
  update: (id: string, input: EndpointChanges) => patch<Endpoint>(one(id), input),
  archive: (id: string) => post<Endpoint>(`${one(id)}/archive`),
  probe: (id: string) => post<Probe>(`${one(id)}/probe`),
  systems: () => fetchAll<{ id: string; name: string }>("/systems", { limit: 200 }, 20),
};
