import dns from "node:dns";
import net from "node:net";
import { AppError } from "./errors.ts";

/**
 * Outbound connections to addresses a user typed in (the TLS probe of issue 15) must not reach
 * inside the network Attest runs in. A host name is resolved once, every address it gives is
 * classified, and the caller connects to exactly the addresses checked here (the name goes only
 * into SNI and the Host header), so a second DNS answer cannot smuggle in another one.
 */

export type AddressKind =
  | "public"
  | "private"
  | "loopback"
  | "link-local"
  | "unique-local"
  | "cgnat"
  | "multicast"
  | "unspecified"
  | "broadcast"
  | "benchmarking"
  | "documentation"
  | "reserved";

export interface OutboundPolicy {
  /** RFC 1918, unique-local (fc00::/7) and CGNAT (100.64/10) addresses. */
  allowPrivate?: boolean;
  /** 127/8 and ::1. */
  allowLoopback?: boolean;
  /** 169.254/16 and fe80::/10 (where cloud metadata services answer): refused unless set. */
  allowLinkLocal?: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  kind: AddressKind;
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export class OutboundRefusedError extends AppError {
  constructor(
    readonly host: string,
    readonly refused: ResolvedAddress[],
  ) {
    const list = refused.map((a) => `${a.address} (${a.kind})`).join(", ");
    super(
      "validation_failed",
      `${host} resolves to an address Attest does not connect to: ${list}`,
      [{ field: "host", message: `resolves to ${list}` }],
    );
    this.name = "OutboundRefusedError";
  }
}

type Range = { prefix: bigint; bits: number; kind: AddressKind };

const V4_BITS = 32;
const V6_BITS = 128;

function v4ToBigInt(address: string): bigint {
  return address.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** The 128-bit value of an IPv6 address (with or without an embedded dotted quad). */
function v6ToBigInt(address: string): bigint {
  const lastColon = address.lastIndexOf(":");
  let text = address;
  if (address.includes(".", lastColon)) {
    const quad = v4ToBigInt(address.slice(lastColon + 1));
    text = `${address.slice(0, lastColon + 1)}${(quad >> 16n).toString(16)}:${(quad & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros = Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].reduce(
    (acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)),
    0n,
  );
}

function range(cidr: string, kind: AddressKind): Range {
  const [base = "", bits = ""] = cidr.split("/");
  const v6 = base.includes(":");
  return { prefix: v6 ? v6ToBigInt(base) : v4ToBigInt(base), bits: Number(bits), kind };
}

// Most specific first: the first range that contains an address names its kind.
const V4_RANGES: Range[] = [
  range("0.0.0.0/32", "unspecified"),
  range("255.255.255.255/32", "broadcast"),
  range("0.0.0.0/8", "reserved"),
  range("10.0.0.0/8", "private"),
  range("100.64.0.0/10", "cgnat"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local"),
  range("172.16.0.0/12", "private"),
  range("192.0.0.0/24", "reserved"),
  range("192.0.2.0/24", "documentation"),
  range("192.88.99.0/24", "reserved"),
  range("192.168.0.0/16", "private"),
  range("198.18.0.0/15", "benchmarking"),
  range("198.51.100.0/24", "documentation"),
  range("203.0.113.0/24", "documentation"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved"),
];

const V6_RANGES: Range[] = [
  range("::/128", "unspecified"),
  range("::1/128", "loopback"),
  range("100::/64", "reserved"),
  range("2001:2::/48", "benchmarking"),
  range("2001:db8::/32", "documentation"),
  range("3fff::/20", "documentation"),
  range("fc00::/7", "unique-local"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "unique-local"),
  range("ff00::/8", "multicast"),
];

function inRange(value: bigint, width: number, r: Range): boolean {
  const shift = BigInt(width - r.bits);
  return value >> shift === r.prefix >> shift;
}

function classifyV4(value: bigint): AddressKind {
  return V4_RANGES.find((r) => inRange(value, V4_BITS, r))?.kind ?? "public";
}

/**
 * The kind of an IP address. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d,
 * the deprecated compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16) are the kind of
 * that IPv4 address, so ::ffff:127.0.0.1 is loopback. Not an IP address: an error.
 */
export function classifyAddress(address: string): AddressKind {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(ip);
  if (family === 4) return classifyV4(v4ToBigInt(ip));
  if (family !== 6) throw new Error(`Not an IP address: ${address}`);
  const value = v6ToBigInt(ip);
  const low32 = value & 0xffffffffn;
  const high96 = value >> 32n;
  if (high96 === 0xffffn) return classifyV4(low32); // ::ffff:0:0/96
  if (high96 === 0x64ff9b0000000000000000n) return classifyV4(low32); // 64:ff9b::/96
  if (value >> 112n === 0x2002n) return classifyV4((value >> 80n) & 0xffffffffn); // 2002::/16
  const own = V6_RANGES.find((r) => inRange(value, V6_BITS, r))?.kind;
  if (own) return own;
  if (high96 === 0n) return classifyV4(low32); // ::a.b.c.d, deprecated
  return "public";
}

/** Whether the policy lets a connection go to an address of this kind. */
export function isAllowed(kind: AddressKind, policy: OutboundPolicy = {}): boolean {
  switch (kind) {
    case "public":
      return true;
    case "private":
    case "unique-local":
    case "cgnat":
      return policy.allowPrivate === true;
    case "loopback":
      return policy.allowLoopback === true;
    case "link-local":
      return policy.allowLinkLocal === true;
    default:
      return false;
  }
}

const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

export interface ResolveOptions extends OutboundPolicy {
  /** How long DNS may take (default 5 s). */
  timeoutMs?: number;
  /** The resolver; the system's (getaddrinfo) by default. Tests pass their own. */
  lookup?: Lookup;
}

/**
 * Resolves a host name (or takes an IP literal, bracketed or not) to every address it has, and
 * throws OutboundRefusedError when any of them is one the policy refuses: a name that answers
 * both a public and a private address is refused whole. Connect to the addresses answered.
 */
export async function resolveOutbound(
  host: string,
  options: ResolveOptions = {},
): Promise<ResolvedAddress[]> {
  const name = host.replace(/^\[|\]$/g, "");
  const timeoutMs = options.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  const answers =
    net.isIP(name) !== 0
      ? [{ address: name, family: net.isIP(name) }]
      : await Promise.race([
          (options.lookup ?? systemLookup)(name),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`DNS lookup of ${name} timed out after ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]).finally(() => clearTimeout(timer));
  if (answers.length === 0) throw new Error(`${name} has no address`);
  const resolved = answers.map(
    (a): ResolvedAddress => ({
      address: a.address,
      family: a.family === 6 ? 6 : 4,
      kind: classifyAddress(a.address),
    }),
  );
  const refused = resolved.filter((a) => !isAllowed(a.kind, options));
  if (refused.length > 0) throw new OutboundRefusedError(name, refused);
  return resolved;
}
