// The fields of a notice: title, severity, kind, affected services and the Markdown text with
// a live preview rendered by the API (as the public page renders it).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { SelectField, TextField } from "../../ui/Field";
import { useDebounced } from "../../ui/hooks";
import { Spinner } from "../../ui/Loading";
import { PolicyHtml } from "../../ui/PolicyHtml";
import { noticeKeys, useNoticesApi } from "./queries";
import { KINDS, type NoticeInput, SEVERITIES } from "./types";

export interface NoticeDraft {
  title: string;
  body: string;
  severity: NoticeInput["severity"];
  kind: NoticeInput["kind"];
  services: string;
}

export function draftOf(notice?: Partial<NoticeInput>): NoticeDraft {
  return {
    title: notice?.title ?? "",
    body: notice?.body ?? "",
    severity: notice?.severity ?? "medium",
    kind: notice?.kind ?? "security",
    services: (notice?.affectedServices ?? []).join(", "),
  };
}

export function inputOf(draft: NoticeDraft): NoticeInput {
  return {
    title: draft.title,
    body: draft.body,
    severity: draft.severity,
    kind: draft.kind,
    affectedServices: draft.services
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export function NoticePreview({ body }: { body: string }) {
  const api = useNoticesApi();
  const settled = useDebounced(body, 400);
  const preview = useQuery({
    queryKey: noticeKeys.preview(settled),
    queryFn: () => api.preview(settled),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  return (
    <section
      className="editor-preview"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the preview scrolls; keyboard users must reach it
      tabIndex={0}
      aria-label="Preview"
      aria-busy={preview.isFetching || settled !== body}
    >
      {preview.data ? (
        <PolicyHtml html={preview.data.html} label="Preview" />
      ) : preview.isError ? (
        <p className="muted">The preview could not be rendered.</p>
      ) : (
        <Spinner label="Rendering preview" />
      )}
    </section>
  );
}

interface NoticeFieldsProps {
  value: NoticeDraft;
  onChange: (next: NoticeDraft) => void;
  errors: Record<string, string>;
  preview?: boolean;
}

export function NoticeFields({ value, onChange, errors, preview = true }: NoticeFieldsProps) {
  const bodyId = useId();
  const set = (patch: Partial<NoticeDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <TextField
        label="Title"
        name="title"
        value={value.title}
        onChange={(e) => set({ title: e.target.value })}
        error={errors.title}
        maxLength={200}
        required
      />
      <div className="notice-field-row">
        <SelectField
          label="Severity"
          name="severity"
          value={value.severity}
          onChange={(e) => set({ severity: e.target.value as NoticeDraft["severity"] })}
          error={errors.severity}
        >
          {SEVERITIES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Kind"
          name="kind"
          value={value.kind}
          onChange={(e) => set({ kind: e.target.value as NoticeDraft["kind"] })}
          error={errors.kind}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label="Affected services"
        name="affectedServices"
        hint="Separate services with commas, for example: API, Dashboard"
        value={value.services}
        onChange={(e) => set({ services: e.target.value })}
        error={errors.affectedServices ?? errors["0"] ?? errors["1"]}
      />
      <div className={preview ? "editor" : undefined}>
        <div className={errors.body ? "field field-invalid" : "field"}>
          <label className="field-label" htmlFor={bodyId}>
            Text (Markdown)
          </label>
          <textarea
            id={bodyId}
            name="body"
            className="input textarea editor-text"
            value={value.body}
            onChange={(e) => set({ body: e.target.value })}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? `${bodyId}-error` : undefined}
            rows={preview ? 14 : 6}
            spellCheck
          />
          {errors.body && (
            <p className="field-error" id={`${bodyId}-error`}>
              {errors.body}
            </p>
          )}
        </div>
        {preview && <NoticePreview body={value.body} />}
      </div>
    </>
  );
}
