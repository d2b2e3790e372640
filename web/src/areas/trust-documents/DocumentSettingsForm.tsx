// The rules of gated access: the NDA text, auto-approved email domains, link validity.
import { type FormEvent, useEffect, useRef, useState } from "react";
import { TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { useDocumentMutation, useTrustDocumentsApi } from "./queries";
import type { DocumentSettings } from "./types";

export function SettingsForm({
  settings,
  manage,
}: {
  settings: DocumentSettings;
  manage: boolean;
}) {
  const api = useTrustDocumentsApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [ndaText, setNdaText] = useState(settings.ndaText);
  const [domains, setDomains] = useState(settings.autoApproveDomains.join("\n"));
  const [linkDays, setLinkDays] = useState(settings.linkDays);
  const [saved, setSaved] = useState(false);
  const save = useDocumentMutation(api.saveSettings);
  const errors = fieldErrorsOf(save.error);
  const domainError = save.error
    ? Object.entries(errors).find(([field]) => /^\d+$/.test(field))?.[1]
    : undefined;
  useFocusFirstInvalid(formRef, save.error);
  useEffect(() => {
    setNdaText(settings.ndaText);
    setDomains(settings.autoApproveDomains.join("\n"));
    setLinkDays(settings.linkDays);
  }, [settings]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate(
      {
        ndaText,
        autoApproveDomains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        linkDays,
      },
      { onSuccess: () => setSaved(true) },
    );
  }

  return (
    <section className="card section" aria-labelledby="access-settings-heading">
      <div className="section-header">
        <h2 id="access-settings-heading" className="section-title">
          Access to gated documents
        </h2>
        <p className="section-description">
          Requesters accept this agreement before they ask; its exact text and the time are kept
          with each request.
        </p>
      </div>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error} />
        <TextAreaField
          label="Non-disclosure agreement (Markdown)"
          name="ndaText"
          rows={10}
          maxLength={50000}
          readOnly={!manage}
          value={ndaText}
          onChange={(e) => setNdaText(e.target.value)}
          hint="Leave empty to ask for no agreement."
          error={errors.ndaText}
        />
        <TextAreaField
          label="Approve at once requests from these email domains"
          name="autoApproveDomains"
          rows={3}
          readOnly={!manage}
          value={domains}
          onChange={(e) => setDomains(e.target.value)}
          hint="One domain per line, for example partner.example. Exact match: subdomains are not included."
          error={errors.autoApproveDomains ?? domainError}
        />
        <TextField
          label="Links work for (days)"
          name="linkDays"
          type="number"
          min={1}
          max={90}
          className="input-number"
          readOnly={!manage}
          value={linkDays}
          onChange={(e) => setLinkDays(Number(e.target.value))}
          error={errors.linkDays}
        />
        {manage && (
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save access settings"}
            </button>
            <span className="form-status" role="status">
              {saved && !save.isPending ? `Saved ${formatDateTime(new Date().toISOString())}` : ""}
            </span>
          </div>
        )}
      </form>
    </section>
  );
}
