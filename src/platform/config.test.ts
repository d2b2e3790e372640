import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("configuration", () => {
  it("should default to port 3000 on localhost with ./data", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe("localhost");
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.tls).toBeUndefined();
  });

  it("should treat an empty variable as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: " " }).port).toBe(3000);
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/attest"],
    ["ATTEST_MASTER_KEY", "too-short"],
    ["ATTEST_SESSION_IDLE_MINUTES", "0"],
    ["ATTEST_TRUST_PROXY", "maybe"],
    ["ATTEST_PUBLIC_URL", "not a url"],
  ])("should name %s when it is %s", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:\\n  ${name}:`),
    );
  });

  it("should require both TLS variables or neither", () => {
    expect(() => loadConfig({ ATTEST_TLS_CERT: "/c.pem" })).toThrow(/ATTEST_TLS_KEY: required/);
    expect(() => loadConfig({ ATTEST_TLS_KEY: "/k.pem" })).toThrow(/ATTEST_TLS_CERT: required/);
    expect(loadConfig({ ATTEST_TLS_CERT: "/c.pem", ATTEST_TLS_KEY: "/k.pem" }).tls).toEqual({
      certFile: "/c.pem",
      keyFile: "/k.pem",
    });
  });
});
