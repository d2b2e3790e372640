// The trust center draft's logo: upload (PNG, JPEG, SVG or WebP, at most 256 KiB) or remove.
import { type ChangeEvent, useId, useState } from "react";
import { formatBytes } from "../../ui/format";
import { errorMessage } from "../../ui/forms";
import { draftLogoUrl, useTrustCenterMutations } from "./queries";
import { LOGO_TYPES, type LogoType, MAX_LOGO_BYTES, type TrustCenter } from "./types";

export function TrustLogoSection({ center, readOnly }: { center: TrustCenter; readOnly: boolean }) {
  const { uploadLogo, removeLogo } = useTrustCenterMutations();
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    setProblem(null);
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type as LogoType)) {
      setProblem("Choose a PNG, JPEG, SVG or WebP image.");
      return;
    }
    if (file.size > MAX_LOGO_BYTES) {
      setProblem(`The logo must be at most 256 KiB; this one is ${formatBytes(file.size)}.`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      uploadLogo.mutate({
        contentType: file.type as LogoType,
        data: url.slice(url.indexOf(",") + 1),
      });
    };
    reader.onerror = () => setProblem("The file could not be read.");
    reader.readAsDataURL(file);
  }

  const error = problem ?? (uploadLogo.error ? errorMessage(uploadLogo.error) : null);
  return (
    <fieldset className="card section trust-fieldset">
      <legend className="section-title">Logo</legend>
      <div className="trust-logo-row">
        {center.logo ? (
          <img
            className="trust-logo-preview"
            src={draftLogoUrl(center.logo.id)}
            alt="The draft's logo"
          />
        ) : (
          <p className="field-hint">No logo: the public page shows the company name alone.</p>
        )}
        {center.logo && (
          <p className="field-hint">
            {center.logo.contentType.replace("image/", "").toUpperCase()},{" "}
            {formatBytes(center.logo.size)}
          </p>
        )}
      </div>
      {!readOnly && (
        <div className="form-actions">
          <label className="button button-secondary trust-file-label" htmlFor={inputId}>
            {uploadLogo.isPending ? "Uploading…" : center.logo ? "Replace logo" : "Upload logo"}
          </label>
          <input
            id={inputId}
            className="trust-file-input"
            type="file"
            accept={LOGO_TYPES.join(",")}
            onChange={onFile}
            aria-describedby={`${inputId}-hint`}
          />
          {center.logo && (
            <button
              type="button"
              className="button button-ghost-danger"
              onClick={() => removeLogo.mutate()}
              disabled={removeLogo.isPending}
            >
              Remove logo
            </button>
          )}
        </div>
      )}
      <p className="field-hint" id={`${inputId}-hint`}>
        PNG, JPEG, SVG or WebP, at most 256 KiB. It goes into the draft; publish to show it.
      </p>
      <div aria-live="polite">{error && <p className="field-error">{error}</p>}</div>
    </fieldset>
  );
}
