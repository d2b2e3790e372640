import type { FieldError } from "../../platform/errors.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { html, raw, type SafeHtml } from "../../public-site/html.ts";
import { renderTrustPage } from "../../public-site/layout.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import type { DocumentRow } from "./trust-documents.documents.ts";

/** The public pages of documents, server-rendered: semantic HTML, no script, no style attribute. */

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function kindOf(row: DocumentRow): string {
  if (row.source === "policy") return "PDF";
  const extension = row.file_name?.split(".").pop()?.toUpperCase() ?? "";
  return [extension, formatBytes(row.size_bytes === null ? null : Number(row.size_bytes))]
    .filter(Boolean)
    .join(", ");
}

export function requestLink(site: TrustSite, documentIds: string[] = []): string {
  const query = documentIds.length ? `?documents=${documentIds.join(",")}` : "";
  return trustLink(site, `/request-access${query}`);
}

/** The section of the trust center page. */
export function documentsSection(
  site: TrustSite,
  rows: DocumentRow[],
  nda: boolean,
): SafeHtml | null {
  if (rows.length === 0) return null;
  const gated = rows.filter((row) => row.access === "gated").length;
  return html`<section class="trust-section trust-documents" id="documents" aria-labelledby="documents-heading">
<h2 id="documents-heading">Documents</h2>
<ul class="document-list">
${rows.map(
  (row) => html`<li class="document-item">
<div class="document-text">
<h3 class="document-title">${row.title}</h3>
${row.description ? html`<p class="document-description">${row.description}</p>` : null}
<p class="document-meta">${
    row.access === "gated" ? html`<span class="document-badge">Available on request</span> ` : null
  }${kindOf(row)}</p>
</div>
<p class="document-action">${
    row.access === "public"
      ? html`<a class="button" href="${trustLink(site, `/documents/${row.id}`)}" download>Download<span class="visually-hidden"> ${row.title}</span></a>`
      : html`<a class="button button-secondary" href="${requestLink(site, [row.id])}">Request access<span class="visually-hidden"> to ${row.title}</span></a>`
  }</p>
</li>`,
)}
</ul>
${
  gated > 0
    ? html`<p class="document-footnote">Documents available on request are shared after approval${
        nda ? ", under a non-disclosure agreement" : ""
      }.${
        gated > 1
          ? html` <a href="${requestLink(site)}">Request several documents at once</a>.`
          : null
      }</p>`
    : null
}
</section>`;
}

export interface FormValues {
  name: string;
  company: string;
  email: string;
  reason: string;
  documents: string[];
  acceptNda: boolean;
}

export const EMPTY_FORM: FormValues = {
  name: "",
  company: "",
  email: "",
  reason: "",
  documents: [],
  acceptNda: false,
};

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  company: "Company",
  email: "Email",
  reason: "Reason",
  documents: "Documents",
  acceptNda: "Agreement",
  ndaSha256: "Agreement",
  body: "Form",
};

function errorFor(errors: FieldError[], field: string): FieldError | undefined {
  return errors.find((e) => e.field === field);
}

function textField(
  id: keyof FormValues,
  label: string,
  values: FormValues,
  errors: FieldError[],
  options: { type?: string; autocomplete?: string; multiline?: boolean; hint?: string },
): SafeHtml {
  const error = errorFor(errors, id);
  const describedBy = [options.hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  const value = String(values[id] ?? "");
  const common = html`id="${id}" name="${id}" required${describedBy ? html` aria-describedby="${describedBy}"` : null}${error ? html` aria-invalid="true"` : null}`;
  return html`<div class="field${error ? " has-error" : ""}">
<label for="${id}">${label}</label>
${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : null}
${error ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : null}
${
  options.multiline
    ? html`<textarea ${common} rows="4" maxlength="2000">${value}</textarea>`
    : html`<input ${common} type="${options.type ?? "text"}" maxlength="${id === "email" ? 254 : 200}" value="${value}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : null}>`
}
</div>`;
}

export function requestFormPage(
  site: TrustSite,
  input: {
    documents: DocumentRow[];
    ndaText: string;
    ndaSha256: string | null;
    values: FormValues;
    errors: FieldError[];
    notice?: string;
  },
): string {
  const { documents, values, errors } = input;
  const documentsError = errorFor(errors, "documents");
  const ndaError = errorFor(errors, "acceptNda") ?? errorFor(errors, "ndaSha256");
  const main = html`<article class="request-access">
<p class="breadcrumb"><a href="${trustLink(site)}">${site.companyName} Trust Center</a></p>
<h1>Request access to documents</h1>
<p>Tell us who you are and why you need these documents. ${
    input.ndaSha256 ? "They are shared under the non-disclosure agreement below. " : ""
  }${
    site.mail
      ? "Once your request is approved, you receive a personal link by email."
      : `Once your request is approved, ${site.companyName} sends you a personal link.`
  }</p>
${input.notice ? html`<p class="alert alert-warning" role="status">${input.notice}</p>` : null}
${
  errors.length
    ? html`<div class="alert alert-error form-errors" role="alert" aria-labelledby="form-errors-heading" tabindex="-1">
<h2 id="form-errors-heading">Please correct the following</h2>
<ul>${errors.map(
        (e) =>
          html`<li><a href="#${e.field === "ndaSha256" ? "acceptNda" : e.field}">${FIELD_LABELS[e.field] ?? e.field}: ${e.message}</a></li>`,
      )}</ul>
</div>`
    : null
}
${
  documents.length === 0
    ? html`<p>There are no documents to request at the moment.</p>`
    : html`<form method="post" action="${trustLink(site, "/access-requests")}" class="request-form">
<fieldset id="documents"${documentsError ? html` aria-describedby="documents-error"` : null}>
<legend>Documents</legend>
${documentsError ? html`<p class="field-error" id="documents-error">${documentsError.message}</p>` : null}
<ul class="checkbox-list">
${documents.map(
  (d) =>
    html`<li><label class="checkbox"><input type="checkbox" name="documents" value="${d.id}"${
      values.documents.includes(d.id) ? html` checked` : null
    }> ${d.title}</label>${d.description ? html`<p class="hint">${d.description}</p>` : null}</li>`,
)}
</ul>
</fieldset>
<fieldset>
<legend>About you</legend>
${textField("name", "Full name", values, errors, { autocomplete: "name" })}
${textField("company", "Company", values, errors, { autocomplete: "organization" })}
${textField("email", "Work email", values, errors, {
  type: "email",
  autocomplete: "email",
  hint: "The link to the documents is sent to this address, and only works for you.",
})}
${textField("reason", "Why do you need these documents?", values, errors, { multiline: true })}
</fieldset>
${
  input.ndaSha256
    ? html`<fieldset class="nda">
<legend>Non-disclosure agreement</legend>
<div class="nda-text" tabindex="0" role="region" aria-label="Non-disclosure agreement text">${raw(renderMarkdown(input.ndaText))}</div>
<input type="hidden" name="ndaSha256" value="${input.ndaSha256}">
${ndaError ? html`<p class="field-error" id="acceptNda-error">${ndaError.message}</p>` : null}
<p class="checkbox-field"><label class="checkbox"><input type="checkbox" id="acceptNda" name="acceptNda" value="yes" required${
        values.acceptNda && !errorFor(errors, "ndaSha256") ? html` checked` : null
      }${ndaError ? html` aria-invalid="true" aria-describedby="acceptNda-error"` : null}> I accept the non-disclosure agreement above</label></p>
</fieldset>`
    : null
}
<p><button type="submit" class="button">Request access</button></p>
</form>`
}
</article>`;
  return renderTrustPage(site, { title: "Request access to documents", main });
}

export function requestSentPage(site: TrustSite, approved: boolean): string {
  const main = html`<article class="request-access">
<h1>${approved ? "Your request is approved" : "Thank you — your request is on its way"}</h1>
<p>${
    site.mail
      ? approved
        ? "We have emailed you a personal link to the documents."
        : "We will review it and email you with our answer."
      : approved
        ? "We will send you a personal link to the documents."
        : "We will review it and let you know our answer."
  }</p>
<p><a href="${trustLink(site)}">Back to the trust center</a></p>
</article>`;
  return renderTrustPage(site, { title: "Request sent", main });
}

export function accessPage(
  site: TrustSite,
  input: { token: string; name: string; expiresAt: Date; documents: DocumentRow[] },
): string {
  const main = html`<article class="document-access">
<h1>Your documents</h1>
<p>Shared with ${input.name} until ${input.expiresAt.toISOString().slice(0, 10)} (UTC). Every page you download is marked with your name, email address and the date; every view and download is recorded.</p>
${
  input.documents.length === 0
    ? html`<p>None of the documents of this request is available any more.</p>`
    : html`<ul class="document-list">
${input.documents.map(
  (d) => html`<li class="document-item">
<div class="document-text"><h2 class="document-title">${d.title}</h2>${
    d.description ? html`<p class="document-description">${d.description}</p>` : null
  }<p class="document-meta">${kindOf(d)}</p></div>
<p class="document-action"><a class="button" href="${trustLink(site, `/access/${input.token}/documents/${d.id}`)}" download>Download<span class="visually-hidden"> ${d.title}</span></a></p>
</li>`,
)}
</ul>`
}
</article>`;
  return renderTrustPage(site, { title: "Your documents", main });
}

export function goneLinkPage(
  site: TrustSite,
  state: "expired" | "revoked",
  documentIds: string[],
): string {
  const main = html`<article class="document-access">
<h1>${state === "expired" ? "This link has expired" : "This link is no longer valid"}</h1>
<p>${
    state === "expired"
      ? "Links to our documents work for a limited time."
      : "Access through this link has been withdrawn."
  } You are welcome to ask again.</p>
<p><a class="button" href="${requestLink(site, documentIds)}">Request access again</a></p>
</article>`;
  return renderTrustPage(site, { title: "Link no longer valid", main });
}

export function messagePage(site: TrustSite, title: string, message: string): string {
  const main = html`<article class="document-access">
<h1>${title}</h1>
<p>${message}</p>
<p><a href="${trustLink(site)}">Back to the trust center</a></p>
</article>`;
  return renderTrustPage(site, { title, main });
}
