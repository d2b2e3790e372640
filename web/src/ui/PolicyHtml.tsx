// Policy text as HTML. Only HTML the API rendered from Markdown goes in here: the server's
// renderer escapes raw HTML and refuses unsafe link schemes (src/platform/markdown.ts).
import { useLayoutEffect, useRef } from "react";

interface PolicyHtmlProps {
  html: string;
  label: string;
  /**
   * How many levels the text's own headings sit below the page's: its "# Title" must not
   * read as a second page title. Applied as aria-level, the markup stays as rendered.
   */
  headingOffset?: number;
}

export function PolicyHtml({ html, label, headingOffset = 2 }: PolicyHtmlProps) {
  const ref = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new html brings new headings to relabel
  useLayoutEffect(() => {
    const headings = ref.current?.querySelectorAll("h1, h2, h3, h4, h5, h6") ?? [];
    for (const heading of headings) {
      const level = Number(heading.tagName.slice(1));
      heading.setAttribute("aria-level", String(Math.min(6, level + headingOffset)));
    }
  }, [html, headingOffset]);
  return (
    <article
      ref={ref}
      className="policy-text"
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized server-side, see above
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
