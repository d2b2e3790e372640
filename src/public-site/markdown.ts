import { renderMarkdown } from "../platform/markdown.ts";
import { raw, type SafeHtml } from "./html.ts";

/**
 * Markdown rendered under a heading of the page: its headings move down `by` levels (a
 * document's "# Title" under the page's h2 becomes an h3), so the page keeps one h1 and an
 * unbroken heading order. markdown-it escapes raw HTML, so these tags are its own.
 */
export function markdownUnder(source: string, by: number): SafeHtml {
  return raw(
    renderMarkdown(source).replace(
      /<(\/?)h([1-6])(?=[\s>])/g,
      (_m, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + by)}`,
    ),
  );
}
