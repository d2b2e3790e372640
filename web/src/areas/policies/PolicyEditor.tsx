// The draft editor: Markdown on the left, the rendered text on the right (rendered by the
// API, a moment after typing stops), and Save draft.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { useDebounced } from "../../ui/hooks";
import { Spinner } from "../../ui/Loading";
import { PolicyHtml } from "../../ui/PolicyHtml";
import { useCan } from "../../ui/session";
import { profileValues } from "../organizations/CompanyProfileForm";
import { useOrganization } from "../organizations/queries";
import { policiesApi } from "./api";
import { PolicyTextLeft } from "./PolicyTextLeft";
import { usePolicySaved } from "./policy-cache";
import { fillPlaceholders, removeTemplateNote, textLeft } from "./policy-text";
import type { Policy, PolicyVersion } from "./types";

interface PolicyEditorProps {
  policy: Policy;
  /** The open draft, if any; otherwise saving starts a new version from `base`. */
  draft: PolicyVersion | undefined;
  base: PolicyVersion | undefined;
  onDirtyChange: (dirty: boolean) => void;
  /** Moves focus to the text when the editor opens at the user's request. */
  focusOnMount?: boolean;
}

function Preview({ body }: { body: string }) {
  const settled = useDebounced(body, 400);
  const preview = useQuery({
    queryKey: ["policy-preview", settled],
    queryFn: () => policiesApi.previewMarkdown(settled),
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

export function PolicyEditor({
  policy,
  draft,
  base,
  onDirtyChange,
  focusOnMount = false,
}: PolicyEditorProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the editor opens
  useEffect(() => {
    if (focusOnMount) textRef.current?.focus();
  }, []);
  const textId = useId();
  const saved = usePolicySaved();
  const [savedBody, setSavedBody] = useState(draft?.body ?? base?.body ?? "");
  const [body, setBody] = useState(savedBody);
  const [summary, setSummary] = useState(draft?.changeSummary ?? "");
  const [done, setDone] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      policiesApi.saveDraft(policy.id, {
        body,
        ...(summary.trim() ? { changeSummary: summary.trim() } : {}),
      }),
    onSuccess: (updated) => {
      saved(updated);
      setSavedBody(body);
      onDirtyChange(false);
      setDone(true);
    },
  });
  const errors = fieldErrorsOf(save.error);
  useFocusFirstInvalid(formRef, save.error);
  const nextVersion = (policy.versions[0]?.version ?? 0) + 1;
  const can = useCan();
  const left = textLeft(body);
  const organization = useOrganization();
  // Drafts made before the profile was complete catch up with it in one click.
  const known = organization.data ? profileValues(organization.data) : {};
  const fillable = left.placeholders.filter((name) => name in known);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    save.mutate();
  }

  function edit(next: string) {
    setBody(next);
    setDone(false);
    onDirtyChange(next !== savedBody);
  }

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      {!draft && base && (
        <p className="muted">
          Saving starts version {nextVersion} as a draft. Version {base.version} stays in force
          until the new one is approved.
        </p>
      )}
      <div className="editor">
        <div className={errors.body ? "field field-invalid" : "field"}>
          <label className="field-label" htmlFor={textId}>
            Policy text (Markdown)
          </label>
          <textarea
            ref={textRef}
            id={textId}
            className="input textarea editor-text"
            value={body}
            onChange={(e) => edit(e.target.value)}
            spellCheck
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? `${textId}-error` : undefined}
          />
          {errors.body && (
            <p className="field-error" id={`${textId}-error`}>
              {errors.body}
            </p>
          )}
        </div>
        <div className="field">
          <span className="field-label" aria-hidden="true">
            Preview
          </span>
          <Preview body={body} />
        </div>
      </div>
      <PolicyTextLeft left={left} subject="this text" profileLink={can("organization.update")}>
        {fillable.length > 0 && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              edit(fillPlaceholders(body, known));
              textRef.current?.focus();
            }}
          >
            Fill in {plural(fillable.length, "placeholder")} from the company profile
          </button>
        )}
        {left.templateNote && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              edit(removeTemplateNote(body));
              // The button goes away with the note; keep the keyboard in the text.
              textRef.current?.focus();
            }}
          >
            Remove the template note
          </button>
        )}
      </PolicyTextLeft>
      <TextField
        label="Summary of changes (optional)"
        name="changeSummary"
        maxLength={500}
        value={summary}
        onChange={(e) => {
          setSummary(e.target.value);
          setDone(false);
        }}
        hint="Shown in the version history and to approvers."
        error={errors.changeSummary}
      />
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={save.isPending || !body.trim()}
        >
          {save.isPending ? "Saving…" : "Save draft"}
        </button>
        <span className="form-status" role="status">
          {done ? "Draft saved" : ""}
        </span>
        {body !== savedBody && <span className="editor-unsaved">Unsaved changes</span>}
      </div>
    </form>
  );
}
