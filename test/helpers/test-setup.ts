import { selectTestPasswordCost } from "../../src/platform/passwords.ts";

// Each test file's setup (vitest.config.ts): argon2 at its test-only cost, in this worker only.
// Child processes (the CLI tests) hash at the production cost.
selectTestPasswordCost();
