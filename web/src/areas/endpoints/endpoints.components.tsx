// Pieces the endpoint pages share: an endpoint's name and its standing in words.
import { Badge, type Tone } from "../../ui/StatusBadge";
import type { EndpointStatus, Probe } from "./endpoints.types";

const STATUS: Record<EndpointStatus, { label: string; tone: Tone }> = {
  passing: { label: "Passing", tone: "success" },
  failing: { label: "Failing", tone: "danger" },
  due_soon: { label: "Certificate expiring", tone: "warning" },
  not_probed: { label: "Not probed yet", tone: "danger" },
  stale: { label: "Last probe too old", tone: "danger" },
};

export function EndpointStatusBadge({ status }: { status: EndpointStatus }) {
  const { label, tone } = STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}

const PROBE: Record<Probe["state"], { label: string; tone: Tone }> = {
  passing: { label: "Passed", tone: "success" },
  failing: { label: "Failed", tone: "danger" },
  due_soon: { label: "Passed, certificate expiring", tone: "warning" },
};

export function ProbeBadge({ state }: { state: Probe["state"] }) {
  const { label, tone } = PROBE[state];
  return <Badge tone={tone}>{label}</Badge>;
}

/** host:port, an IPv6 literal bracketed. */
export function endpointName(endpoint: { host: string; port: number }): string {
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}
