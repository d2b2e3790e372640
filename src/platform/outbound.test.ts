import { describe, expect, it } from "vitest";
import {
  type AddressKind,
  classifyAddress,
  isAllowed,
  OutboundRefusedError,
  resolveOutbound,
} from "./outbound.ts";

const TABLE: [string, AddressKind][] = [
  ["8.8.8.8", "public"],
  ["1.1.1.1", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "reserved"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["100.63.255.255", "public"],
  ["100.64.0.1", "cgnat"],
  ["100.127.255.254", "cgnat"],
  ["100.128.0.0", "public"],
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["169.254.169.254", "link-local"],
  ["172.15.255.255", "public"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.0", "public"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.10", "documentation"],
  ["192.168.1.1", "private"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["198.20.0.0", "public"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.200", "documentation"],
  ["224.0.0.251", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "broadcast"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["2606:4700:4700::1111", "public"],
  ["2001:4860:4860::8888", "public"],
  ["fc00::1", "unique-local"],
  ["fd12:3456:789a::1", "unique-local"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["febf::1", "link-local"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "documentation"],
  ["2001:2::1", "benchmarking"],
  ["100::1", "reserved"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.1.2.3", "private"],
  ["::ffff:169.254.169.254", "link-local"],
  ["::ffff:100.64.0.1", "cgnat"],
  ["::ffff:8.8.8.8", "public"],
  ["::127.0.0.1", "loopback"],
  ["64:ff9b::10.0.0.1", "private"],
  ["64:ff9b::8.8.8.8", "public"],
  ["2002:c0a8:101::1", "private"],
  ["2002:808:808::1", "public"],
];

describe("classifyAddress", () => {
  it.each(TABLE)("should classify %s as %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("should throw on something that is not an IP address", () => {
    expect(() => classifyAddress("example.com")).toThrow(/Not an IP address/);
    expect(() => classifyAddress("256.1.1.1")).toThrow(/Not an IP address/);
  });
});

describe("isAllowed", () => {
  it("should allow public addresses and refuse the rest by default", () => {
    for (const [, kind] of TABLE) expect(isAllowed(kind)).toBe(kind === "public");
  });

  it("should let each allowance open only its own kinds", () => {
    const kinds: AddressKind[] = ["private", "unique-local", "cgnat", "loopback", "link-local"];
    const allowed = (policy: Parameters<typeof isAllowed>[1]) =>
      kinds.filter((k) => isAllowed(k, policy));
    expect(allowed({ allowPrivate: true })).toEqual(["private", "unique-local", "cgnat"]);
    expect(allowed({ allowLoopback: true })).toEqual(["loopback"]);
    expect(allowed({ allowLinkLocal: true })).toEqual(["link-local"]);
    const all = { allowPrivate: true, allowLoopback: true, allowLinkLocal: true };
    for (const never of ["multicast", "unspecified", "broadcast", "documentation"] as const) {
      expect(isAllowed(never, all)).toBe(false);
    }
  });
});

describe("resolveOutbound", () => {
  const lookupOf =
    (answers: Record<string, string[]>) =>
    async (host: string): Promise<{ address: string; family: number }[]> =>
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it("should answer every address of a public name, classified", async () => {
    const lookup = lookupOf({ "example.test": ["93.184.215.14", "2606:2800:21f:cb07::1"] });
    expect(await resolveOutbound("example.test", { lookup })).toEqual([
      { address: "93.184.215.14", family: 4, kind: "public" },
      { address: "2606:2800:21f:cb07::1", family: 6, kind: "public" },
    ]);
  });

  it("should refuse a name resolving to a private address, naming it", async () => {
    const lookup = lookupOf({ "intranet.test": ["10.0.0.5"] });
    const refusal = resolveOutbound("intranet.test", { lookup });
    await expect(refusal).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(refusal).rejects.toThrow("intranet.test resolves to an address");
    await expect(refusal).rejects.toThrow("10.0.0.5 (private)");
    expect(await resolveOutbound("intranet.test", { lookup, allowPrivate: true })).toHaveLength(1);
  });

  it("should refuse a name when any one of its addresses is refused", async () => {
    const lookup = lookupOf({ "mixed.test": ["8.8.8.8", "::ffff:169.254.169.254"] });
    await expect(resolveOutbound("mixed.test", { lookup, allowPrivate: true })).rejects.toThrow(
      "::ffff:169.254.169.254 (link-local)",
    );
  });

  it("should take IP literals as they are, without asking DNS", async () => {
    const lookup = () => Promise.reject(new Error("DNS asked"));
    await expect(resolveOutbound("127.0.0.1", { lookup })).rejects.toThrow("(loopback)");
    expect(await resolveOutbound("[::1]", { lookup, allowLoopback: true })).toEqual([
      { address: "::1", family: 6, kind: "loopback" },
    ]);
  });

  it("should resolve through the system resolver by default", async () => {
    await expect(resolveOutbound("localhost")).rejects.toThrow("(loopback)");
    const addresses = await resolveOutbound("localhost", { allowLoopback: true });
    expect(addresses.every((a) => a.kind === "loopback")).toBe(true);
  });

  it("should give up on a resolver that does not answer in time", async () => {
    const lookup = () => new Promise<never>(() => {});
    await expect(resolveOutbound("slow.test", { lookup, timeoutMs: 50 })).rejects.toThrow(
      "DNS lookup of slow.test timed out after 50 ms",
    );
  });

  it("should fail on a name with no address", async () => {
    await expect(resolveOutbound("none.test", { lookup: lookupOf({}) })).rejects.toThrow(
      "none.test has no address",
    );
  });
});
