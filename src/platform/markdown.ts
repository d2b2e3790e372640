import MarkdownIt from "markdown-it";

/**
 * Markdown rendering for policies: raw HTML is escaped, not passed through, and markdown-it's
 * link validation refuses javascript:, vbscript: and data: URLs other than images. The output
 * is safe to place in a page.
 */
const renderer = new MarkdownIt({ html: false, linkify: true, typographer: false });

export function renderMarkdown(source: string): string {
  return renderer.render(source);
}

export function parseMarkdown(source: string) {
  return renderer.parse(source, {});
}
