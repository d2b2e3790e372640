import { ensureWebBuilt } from "./browser.ts";

/**
 * The browser project's global setup: builds web/dist once, before its files start in parallel
 * (two workers each building at once would overwrite each other's output).
 */
export default function setup() {
  ensureWebBuilt();
}
