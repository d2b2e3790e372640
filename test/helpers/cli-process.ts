import { spawn } from "node:child_process";
import path from "node:path";

/** The `attest` command as a process, for the CLI tests that run it against a loopback server. */
const CLI = path.resolve("bin/attest.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `env` (over a clean one) and `input` on standard input; bounded in time. */
export function attest(args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`attest ${args.join(" ")} did not finish: ${stderr}`));
    }, 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
