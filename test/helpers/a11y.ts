import type { Page } from "playwright-core";

/** The narrowest viewport WCAG 1.4.10 (Reflow) asks content to fit without scrolling sideways. */
export const REFLOW_VIEWPORT = { width: 320, height: 720 };

/**
 * Fails when the page scrolls sideways: the document is wider than the viewport. Names the
 * widest elements that stick out, so the failure says what to fix. Call it once the page's data
 * has loaded (after its heading is visible).
 */
export async function expectNoSidewaysScroll(page: Page, where = page.url()): Promise<void> {
  const overflow = await page.evaluate(`(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width + 1) return null;
    const culprits = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 1) {
        const name = element.tagName.toLowerCase() +
          (element.id ? "#" + element.id : "") +
          (typeof element.className === "string" && element.className
            ? "." + element.className.trim().split(/\\s+/).join(".") : "");
        culprits.push(name + " (right edge " + Math.round(box.right) + ")");
      }
      if (culprits.length >= 5) break;
    }
    return { scrollWidth: root.scrollWidth, width, culprits };
  })()`);
  if (overflow) {
    const o = overflow as { scrollWidth: number; width: number; culprits: string[] };
    throw new Error(
      `${where} scrolls sideways at ${o.width} px (content is ${o.scrollWidth} px wide): ${o.culprits.join(", ")}`,
    );
  }
}

/** The element that has focus, described as "h1: Dashboard" (or "body"). */
export async function focusedElement(page: Page): Promise<string> {
  return (await page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "body";
    const text = (element.getAttribute("aria-label") || element.textContent || "").trim();
    return element.tagName.toLowerCase() + ": " + text.slice(0, 80);
  })()`)) as string;
}

/**
 * Waits until focus is on the page's level-one heading (moved there once the page's data has
 * loaded), and fails naming where focus is instead.
 */
export async function expectFocusOnHeading(page: Page, timeout = 10_000): Promise<void> {
  try {
    // A locator, not waitForFunction: the app's CSP (script-src 'self') refuses the eval that a
    // polled function string needs, so that would fail whenever focus is not there at once.
    await page.locator("h1:focus").waitFor({ timeout });
  } catch {
    throw new Error(
      `focus is not on the page heading at ${page.url()}: it is on ${await focusedElement(page)}`,
    );
  }
}
