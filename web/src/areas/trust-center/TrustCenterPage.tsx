// Trust center: edit the draft (branding, colours, logo, documents, controls shown), preview it,
// publish it or take it offline, and see what is live. Read-only without trust.manage.
import { type FormEvent, useId, useRef, useState } from "react";
import { CheckboxField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { TRUST_PREVIEW_URL, useTrustCenter, useTrustCenterMutations } from "./queries";
import type { TrustCenter, TrustSettingsPatch } from "./types";
import "../../styles/trust-center.css";
import { type ControlChoice, choiceOf, TrustControlsChooser } from "./TrustControlsChooser";
import { TrustLogoSection } from "./TrustLogoSection";
import { TrustPublicationStatus } from "./TrustPublicationStatus";
import { TrustPublishDialog } from "./TrustPublishDialog";

const HEX = /^#[0-9a-fA-F]{6}$/;

interface FormValues {
  displayName: string;
  tagline: string;
  overview: string;
  contactEmail: string;
  primaryColor: string;
  accentColor: string;
  showDescriptionOfServices: boolean;
  showSecurityCommitments: boolean;
  controls: ControlChoice;
}

function valuesOf(center: TrustCenter): FormValues {
  const d = center.draft;
  return {
    displayName: d.displayName ?? "",
    tagline: d.tagline ?? "",
    overview: d.overview,
    contactEmail: d.contactEmail ?? "",
    primaryColor: d.primaryColor,
    accentColor: d.accentColor,
    showDescriptionOfServices: d.showDescriptionOfServices,
    showSecurityCommitments: d.showSecurityCommitments,
    controls: choiceOf(center),
  };
}

function patchOf(values: FormValues): TrustSettingsPatch {
  const orNull = (text: string) => (text.trim() === "" ? null : text.trim());
  return {
    displayName: orNull(values.displayName),
    tagline: orNull(values.tagline),
    overview: values.overview,
    contactEmail: orNull(values.contactEmail),
    primaryColor: values.primaryColor,
    accentColor: values.accentColor,
    showDescriptionOfServices: values.showDescriptionOfServices,
    showSecurityCommitments: values.showSecurityCommitments,
    controlSelection: "chosen",
    ...values.controls,
  };
}

/** Relative luminance contrast, to pick readable text on the brand colour in the swatch. */
function textOn(hex: string): string {
  if (!HEX.test(hex)) return "#ffffff";
  const channel = (at: number) => {
    const v = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#111827";
}

function ColourField({
  label,
  value,
  onChange,
  error,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="trust-colour-row">
        <input
          type="color"
          className="trust-colour-picker"
          aria-label={`Pick the ${label.toLowerCase()}`}
          value={HEX.test(value) ? value.toLowerCase() : "#000000"}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
        />
        <input
          id={id}
          className="input trust-colour-text"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          pattern="#[0-9a-fA-F]{6}"
          maxLength={7}
          required
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          disabled={disabled}
        />
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        <p className="field-hint" id={`${id}-hint`}>
          A hex colour such as #1d4ed8.
        </p>
      )}
    </div>
  );
}

/** The public header in the chosen colours, drawn as SVG (the CSP allows no style attributes). */
function Swatch({ name, primary, accent }: { name: string; primary: string; accent: string }) {
  const brand = HEX.test(primary) ? primary : "#1d4ed8";
  const line = HEX.test(accent) ? accent : "#0f766e";
  return (
    <figure className="trust-swatch">
      <svg viewBox="0 0 320 64" role="img" aria-label="Preview of the trust center header">
        <rect width="320" height="58" fill={brand} />
        <rect y="58" width="320" height="6" fill={line} />
        <text x="16" y="36" fill={textOn(brand)} fontSize="16" fontWeight="700">
          {name.length > 28 ? `${name.slice(0, 27)}…` : name} Trust Center
        </text>
      </svg>
      <figcaption className="field-hint">How the header of the public page will look.</figcaption>
    </figure>
  );
}

function SettingsForm({ center, readOnly }: { center: TrustCenter; readOnly: boolean }) {
  const { save } = useTrustCenterMutations();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<FormValues>(() => valuesOf(center));
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [published, setPublished] = useState(false);
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);
  const dirty = JSON.stringify(patchOf(values)) !== JSON.stringify(patchOf(valuesOf(center)));

  const set = <K extends keyof FormValues>(name: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setSaved(false);
    setPublished(false);
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(patchOf(values), { onSuccess: () => setSaved(true) });
  }

  /** Saves the draft first if needed, so the confirmation summarizes what is on screen. */
  async function reviewPublication() {
    if (dirty) await save.mutateAsync(patchOf(values));
    setSaved(false);
    setPublished(false);
    setConfirming(true);
  }

  return (
    <form ref={formRef} className="form trust-form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      <fieldset className="card section trust-fieldset" disabled={readOnly}>
        <legend className="section-title">Company and overview</legend>
        <TextField
          label="Display name"
          name="displayName"
          maxLength={200}
          value={values.displayName}
          placeholder={center.draft.companyName}
          onChange={(e) => set("displayName", e.target.value)}
          hint="Leave empty to use the organization's name."
          error={errors.displayName}
        />
        <TextField
          label="Tagline"
          name="tagline"
          maxLength={300}
          value={values.tagline}
          onChange={(e) => set("tagline", e.target.value)}
          hint="One sentence under the title."
          error={errors.tagline}
        />
        <TextAreaField
          label="Overview"
          name="overview"
          rows={8}
          maxLength={20000}
          value={values.overview}
          onChange={(e) => set("overview", e.target.value)}
          hint="Markdown. How you approach security, in a few paragraphs."
          error={errors.overview}
        />
        <TextField
          label="Security contact email"
          name="contactEmail"
          type="email"
          maxLength={254}
          value={values.contactEmail}
          onChange={(e) => set("contactEmail", e.target.value)}
          hint="Shown in the footer of every public page. Optional."
          error={errors.contactEmail}
        />
      </fieldset>

      <fieldset className="card section trust-fieldset" disabled={readOnly}>
        <legend className="section-title">Colours</legend>
        <div className="trust-colours">
          <ColourField
            label="Primary colour"
            value={values.primaryColor}
            onChange={(v) => set("primaryColor", v)}
            error={errors.primaryColor}
            disabled={readOnly}
          />
          <ColourField
            label="Accent colour"
            value={values.accentColor}
            onChange={(v) => set("accentColor", v)}
            error={errors.accentColor}
            disabled={readOnly}
          />
        </div>
        <Swatch
          name={values.displayName.trim() || center.draft.companyName}
          primary={values.primaryColor}
          accent={values.accentColor}
        />
        <p className="field-hint">
          Text on the primary colour is white or black, whichever reads better; links use the
          primary colour only when it is dark enough to read on white.
        </p>
      </fieldset>

      <fieldset className="card section trust-fieldset" disabled={readOnly}>
        <legend className="section-title">Documents shown</legend>
        <CheckboxField
          label="Description of Services"
          name="showDescriptionOfServices"
          checked={values.showDescriptionOfServices}
          onChange={(e) => set("showDescriptionOfServices", e.target.checked)}
          hint="The current published version of the policy for the Description of Services control."
        />
        <CheckboxField
          label="Security Commitments"
          name="showSecurityCommitments"
          checked={values.showSecurityCommitments}
          onChange={(e) => set("showSecurityCommitments", e.target.checked)}
          hint="The current published version of the policy for the Security Commitments control."
        />
        <p className="field-hint">
          Policies marked public (Terms of Service, Privacy Policy…) are always listed with their
          versions.
        </p>
      </fieldset>

      <fieldset className="card section trust-fieldset" disabled={readOnly}>
        <legend className="section-title">Controls shown</legend>
        <TrustControlsChooser
          categories={center.categories}
          value={values.controls}
          onChange={(controls) => set("controls", controls)}
          legacy={center.draft.controlSelection === "all"}
        />
      </fieldset>

      {!readOnly && (
        <div className="form-actions trust-form-actions">
          <button type="submit" className="button button-secondary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save draft"}
          </button>
          <button
            type="button"
            className="button button-primary"
            aria-haspopup="dialog"
            onClick={() => void reviewPublication().catch(() => {})}
            disabled={save.isPending}
          >
            {dirty ? "Save and publish…" : "Publish…"}
          </button>
          <span className="form-status" role="status">
            {saved && !dirty ? "Draft saved. Publish to show it on the public page." : ""}
            {published && !dirty && !saved ? "Published." : ""}
          </span>
        </div>
      )}
      <TrustPublishDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        onPublished={() => setPublished(true)}
      />
    </form>
  );
}

export function TrustCenterPage() {
  const center = useTrustCenter();
  const can = useCan();
  const readOnly = !can("trust.manage");
  return (
    <>
      <PageHeader
        title="Trust center"
        description="Your public security page: company, overview, the Description of Services, the Security Commitments, live control status and public policies. Edit the draft, preview it, then publish."
        actions={
          <a
            className="button button-secondary"
            href={TRUST_PREVIEW_URL}
            target="_blank"
            rel="noopener"
          >
            Preview draft
          </a>
        }
      />
      {center.isPending && <PageLoading label="Loading the trust center" />}
      {center.isError && <LoadError error={center.error} onRetry={() => center.refetch()} />}
      {center.isSuccess && (
        <div className="trust-admin">
          {readOnly && (
            <p className="alert alert-info">
              You can read these settings; owners and admins edit and publish them.
            </p>
          )}
          <TrustPublicationStatus center={center.data} readOnly={readOnly} />
          <TrustLogoSection center={center.data} readOnly={readOnly} />
          <SettingsForm center={center.data} readOnly={readOnly} />
        </div>
      )}
    </>
  );
}
