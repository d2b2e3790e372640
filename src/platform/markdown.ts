import MarkdownIt from "markdown-it";

/**
 * Markdown rendering for policies: raw HTML is escaped, not passed through, and markdown-it's
 * link validation refuses javascript:, vbscript: and data: URLs other than images. The output
 * is safe to place in a page.
 */
const renderer = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Column alignment comes out as style="text-align:…", which the strict CSP refuses; a class
// does the same job.
renderer.core.ruler.push("alignment_classes", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "th_open" && token.type !== "td_open") continue;
    const style = token.attrGet("style");
    const match = style ? /text-align:(left|right|center)/.exec(style) : null;
    if (!token.attrs || !style) continue;
    token.attrs = token.attrs.filter(([name]) => name !== "style");
    if (match) token.attrJoin("class", `align-${match[1]}`);
  }
});

export function renderMarkdown(source: string): string {
  return renderer.render(source);
}

export function parseMarkdown(source: string) {
  return renderer.parse(source, {});
}
