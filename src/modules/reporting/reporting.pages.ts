import type { FieldError } from "../../platform/errors.ts";
import { html, type SafeHtml } from "../../public-site/html.ts";
import { renderTrustPage } from "../../public-site/layout.ts";
import { type TrustSite, trustLink } from "../../public-site/site.ts";
import type { PublicChannel } from "./reporting.channel.ts";
import type { ReporterView } from "./reporting.intake.ts";
import {
  CATEGORY_LABELS,
  DETAILS_MAX,
  MESSAGE_MAX,
  type ReportCategory,
  SUBJECT_MAX,
} from "./reporting.schema.ts";

/**
 * The reporting channel's public pages, server-rendered into the trust center's layout: the
 * form, the page that shows the follow-up key once, and the reporter's follow-up pages. No
 * inline script or style (the CSP forbids them); the only script is our pow.js.
 */

export const POW_SCRIPT = "/assets/pow.js";

const STATE_LABELS: Record<ReporterView["state"], string> = {
  received: "Received",
  acknowledged: "Acknowledged",
  investigating: "Under investigation",
  closed: "Closed",
};

function errorSummary(errors: FieldError[], message?: string): SafeHtml | null {
  if (errors.length === 0 && !message) return null;
  return html`<div class="report-errors" role="alert" tabindex="-1" id="report-errors">
<h2>${message ?? "Please correct the following"}</h2>
${errors.length > 0 ? html`<ul>${errors.map((e) => html`<li><a href="#${fieldId(e.field)}">${fieldLabel(e.field)}</a>: ${e.message}</li>`)}</ul>` : null}
</div>`;
}

const FIELD_LABELS: Record<string, string> = {
  category: "Category",
  subject: "Subject",
  details: "What happened",
  contactName: "Name",
  contactEmail: "Email",
  contactPhone: "Phone",
  powChallenge: "Anti-spam check",
  powCounter: "Anti-spam check",
  pageChallenge: "Anti-spam wait",
  key: "Follow-up key",
  body: "Your message",
};

function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

function fieldId(field: string): string {
  if (field === "powChallenge" || field === "powCounter" || field === "pageChallenge")
    return "report-submit";
  return field in FIELD_LABELS ? `f-${field}` : "main";
}

function errorOf(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function fieldError(errors: FieldError[], field: string): SafeHtml | null {
  const message = errorOf(errors, field);
  return message ? html`<p class="field-error" id="${fieldId(field)}-error">${message}</p>` : null;
}

function described(errors: FieldError[], field: string, hint?: string): string {
  const ids = [hint, errorOf(errors, field) ? `${fieldId(field)}-error` : undefined].filter(
    Boolean,
  );
  return ids.join(" ");
}

export interface FormValues {
  category?: string | undefined;
  subject?: string | undefined;
  details?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
}

function textInput(
  errors: FieldError[],
  field: keyof FormValues,
  label: string,
  value: string | undefined,
  attributes: { type?: string; autocomplete: string; maxlength: number; required?: boolean },
): SafeHtml {
  const invalid = errorOf(errors, field) !== undefined;
  const describedBy = described(errors, field);
  return html`<div class="field">
<label for="${fieldId(field)}">${label}${attributes.required ? null : html` <span class="optional">(optional)</span>`}</label>
<input id="${fieldId(field)}" name="${field}" type="${attributes.type ?? "text"}" value="${value ?? ""}" maxlength="${attributes.maxlength}" autocomplete="${attributes.autocomplete}"${attributes.required ? html` required` : null}${invalid ? html` aria-invalid="true"` : null}${describedBy ? html` aria-describedby="${describedBy}"` : null}>
${fieldError(errors, field)}
</div>`;
}

/** The form's no-JavaScript fallback: its page challenge and the wait before sending. */
export interface NoScriptCheck {
  pageChallenge: string;
  waitSeconds: number;
  validMinutes: number;
}

function noScriptNotice(check: NoScriptCheck): SafeHtml {
  if (check.waitSeconds === 0) {
    return html`<noscript><p class="report-notice">With JavaScript on, this form runs a short anti-spam check in your browser; without it, you can send the form as it is.</p></noscript>`;
  }
  return html`<noscript><p class="report-notice">With JavaScript on, this form runs a short anti-spam check in your browser. Without JavaScript you can still send it: the check is then a short wait, so send the form at least ${check.waitSeconds} seconds after this page loaded (and within ${check.validMinutes} minutes). The wait identifies nothing about you.</p></noscript>`;
}

export function renderReportForm(
  site: TrustSite,
  channel: PublicChannel,
  noScript: NoScriptCheck,
  values: FormValues = {},
  errors: FieldError[] = [],
  message?: string,
): string {
  const detailsInvalid = errorOf(errors, "details") !== undefined;
  const categoryInvalid = errorOf(errors, "category") !== undefined;
  const main = html`<article class="report-page">
<h1>Report a concern</h1>
<p class="lead">${channel.intro}</p>
${errorSummary(errors, message)}
<form class="report-form" method="post" action="${trustLink(site, "/reports")}" data-pow-url="${trustLink(site, "/reports/challenge")}">
<fieldset>
<legend>Your report</legend>
<div class="field">
<label for="f-category">What is it about?</label>
<select id="f-category" name="category" required${categoryInvalid ? html` aria-invalid="true" aria-describedby="f-category-error"` : null}>
${channel.categories.map((c) => html`<option value="${c}"${values.category === c ? html` selected` : null}>${CATEGORY_LABELS[c]}</option>`)}
</select>
${fieldError(errors, "category")}
</div>
${textInput(errors, "subject", "Subject", values.subject, { autocomplete: "off", maxlength: SUBJECT_MAX, required: true })}
<div class="field">
<label for="f-details">What happened</label>
<p class="hint" id="f-details-hint">What, when and where; who was involved; how you know. Do not include anything that identifies you unless you want to.</p>
<textarea id="f-details" name="details" rows="10" maxlength="${DETAILS_MAX}" required aria-describedby="${described(errors, "details", "f-details-hint")}"${detailsInvalid ? html` aria-invalid="true"` : null}>${values.details ?? ""}</textarea>
${fieldError(errors, "details")}
</div>
</fieldset>
<fieldset>
<legend>Contact details <span class="optional">(optional)</span></legend>
<p class="hint">Leave these empty to stay anonymous: you can still read our answers and reply with the follow-up key you get after sending. Give them only if you want us to be able to reach you.</p>
${textInput(errors, "contactName", "Name", values.contactName, { autocomplete: "name", maxlength: 200 })}
${textInput(errors, "contactEmail", "Email", values.contactEmail, { type: "email", autocomplete: "email", maxlength: 254 })}
${textInput(errors, "contactPhone", "Phone", values.contactPhone, { type: "tel", autocomplete: "tel", maxlength: 40 })}
</fieldset>
<section class="report-privacy" aria-labelledby="report-privacy-title">
<h2 id="report-privacy-title">What we keep</h2>
<ul>
<li>Your report and the category, encrypted; only the people designated to handle reports can read it, and every time they do is recorded.</li>
<li>The time it arrived, so we can answer within our deadlines (acknowledgement within ${channel.acknowledgeDays} days, feedback within ${channel.feedbackDays} days).</li>
<li>Your contact details, encrypted, only if you give them.</li>
</ul>
<p>We do not keep your IP address, your browser's details or any cookie with your report, and this page sets no cookie.</p>
</section>
<input type="hidden" name="powChallenge" value="">
<input type="hidden" name="powCounter" value="">
<input type="hidden" name="pageChallenge" value="${noScript.pageChallenge}">
${noScriptNotice(noScript)}
<p class="report-pow-status" role="status" aria-live="polite"></p>
${fieldError(errors, "pageChallenge")}
<div class="report-actions"><button type="submit" id="report-submit">Send report</button></div>
</form>
<p class="report-follow-up-link">Already sent a report? <a href="${trustLink(site, "/report/follow-up")}">Read answers and reply with your follow-up key</a>.</p>
</article>`;
  return renderTrustPage(site, {
    title: "Report a concern",
    description: "Report a security, conduct or privacy concern in confidence.",
    main,
    scripts: [`${POW_SCRIPT}?v=${powScriptVersion()}`],
  });
}

let scriptVersion = "";
export function setPowScriptVersion(version: string) {
  scriptVersion = version;
}
function powScriptVersion() {
  return scriptVersion;
}

export function renderSubmitted(
  site: TrustSite,
  submitted: { followUpKey: string; reference: string },
) {
  const main = html`<article class="report-page">
<h1>Thank you, your report was sent</h1>
<p class="lead">Your report has the reference <strong>${submitted.reference}</strong>.</p>
<section class="report-key" aria-labelledby="report-key-title">
<h2 id="report-key-title">Your follow-up key</h2>
<p class="report-key-value"><code>${submitted.followUpKey}</code></p>
<p><strong>Write this key down or save it somewhere safe now.</strong> It is shown only this once: we keep no copy we could show you again and cannot recover it. With it, and only with it, you can read our answers and reply, without an account and without telling us who you are.</p>
<p>Do not keep it where others could find it, such as a shared computer.</p>
</section>
<p><a class="button" href="${trustLink(site, "/report/follow-up")}">Go to the follow-up page</a></p>
</article>`;
  return renderTrustPage(site, { title: "Report sent", main });
}

export function renderKeyForm(
  site: TrustSite,
  errors: FieldError[] = [],
  message?: string,
): string {
  const main = html`<article class="report-page">
<h1>Follow up on a report</h1>
<p class="lead">Enter the follow-up key you got when you sent your report to read our answers and reply.</p>
${errorSummary(errors, message)}
<form class="report-form" method="post" action="${trustLink(site, "/reports/follow-up")}">
<div class="field">
<label for="f-key">Follow-up key</label>
<input id="f-key" name="key" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="100" required${errorOf(errors, "key") ? html` aria-invalid="true" aria-describedby="f-key-error"` : null}>
${fieldError(errors, "key")}
</div>
<div class="report-actions"><button type="submit">Open my report</button></div>
</form>
<p>Lost your key? We cannot recover it; you are welcome to <a href="${trustLink(site, "/report")}">send a new report</a>.</p>
</article>`;
  return renderTrustPage(site, { title: "Follow up on a report", main });
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function renderThread(
  site: TrustSite,
  key: string,
  view: ReporterView,
  errors: FieldError[] = [],
  draft = "",
  notice?: { text: string; ok: boolean },
): string {
  const replyInvalid = errorOf(errors, "body") !== undefined;
  const main = html`<article class="report-page">
<h1>Report ${view.reference}</h1>
${notice ? html`<p class="${notice.ok ? "report-done" : "report-notice"}" role="status">${notice.text}</p>` : null}
${errorSummary(errors)}
<dl class="report-facts">
<dt>State</dt><dd><span class="report-state report-state-${view.state}">${STATE_LABELS[view.state]}</span></dd>
<dt>Category</dt><dd>${CATEGORY_LABELS[view.category as ReportCategory] ?? view.category}</dd>
<dt>Sent</dt><dd>${formatTime(view.receivedAt)}</dd>
</dl>
${view.outcome ? html`<section class="report-outcome" aria-labelledby="outcome-title"><h2 id="outcome-title">Outcome</h2><p class="report-text">${view.outcome}</p></section>` : null}
<section aria-labelledby="thread-title">
<h2 id="thread-title">Messages</h2>
<ol class="report-thread">
<li class="report-message report-message-reporter"><p class="report-message-meta">You wrote, ${formatTime(view.receivedAt)}: <strong>${view.subject}</strong></p><p class="report-text">${view.details}</p></li>
${view.messages.map(
  (m) =>
    html`<li class="report-message report-message-${m.author}"><p class="report-message-meta">${m.author === "handler" ? "We wrote" : "You wrote"}, ${formatTime(m.createdAt)}:</p><p class="report-text">${m.body}</p></li>`,
)}
</ol>
${view.messages.every((m) => m.author !== "handler") ? html`<p class="hint">No answer yet. Come back with your key to read our answer.</p>` : null}
</section>
${
  view.state === "closed"
    ? html`<p>This report is closed. To raise something new, <a href="${trustLink(site, "/report")}">send a new report</a>.</p>`
    : html`<form class="report-form" method="post" action="${trustLink(site, "/reports/follow-up/reply")}">
<input type="hidden" name="key" value="${key}">
<div class="field">
<label for="f-body">Your reply</label>
<textarea id="f-body" name="body" rows="6" maxlength="${MESSAGE_MAX}" required${replyInvalid ? html` aria-invalid="true" aria-describedby="f-body-error"` : null}>${draft}</textarea>
${fieldError(errors, "body")}
</div>
<div class="report-actions"><button type="submit">Send reply</button></div>
</form>`
}
</article>`;
  return renderTrustPage(site, { title: `Report ${view.reference}`, main });
}

export function renderClosedChannel(site: TrustSite): string {
  const main = html`<article class="report-page">
<h1>Reporting channel closed</h1>
<p class="lead">This organization does not take reports here at the moment.</p>
</article>`;
  return renderTrustPage(site, { title: "Reporting channel closed", main });
}

export function renderRateLimited(site: TrustSite): string {
  const main = html`<article class="report-page">
<h1>Too many attempts</h1>
<p class="lead">Please wait a few minutes and try again.</p>
<p><a href="${trustLink(site, "/report")}">Back to the form</a></p>
</article>`;
  return renderTrustPage(site, { title: "Too many attempts", main });
}
