// Writing a notice: the draft's editor, an update to a published notice, resolving it.
import { type FormEvent, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { CheckboxField, TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { draftOf, inputOf, NoticeFields } from "./NoticeForm";
import { useNoticeMutation, useNoticesApi } from "./queries";
import type { Notice } from "./types";

export function DraftEditor({ notice }: { notice: Notice }) {
  const api = useNoticesApi();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(draftOf(notice));
  const [saved, setSaved] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [notify, setNotify] = useState(true);
  const save = useNoticeMutation(() => api.update(notice.id, inputOf(draft)));
  const publish = useNoticeMutation(async () => {
    await api.update(notice.id, inputOf(draft));
    return api.publish(notice.id, notify);
  });
  const remove = useNoticeMutation(async () => {
    await api.remove(notice.id);
    navigate("/notices");
    return undefined;
  });
  useFocusFirstInvalid(formRef, save.error ?? publish.error);
  const errors = fieldErrorsOf(save.error ?? publish.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    save.mutate(undefined, { onSuccess: () => setSaved(true) });
  }

  return (
    <section className="card section" aria-labelledby="draft-heading">
      <h2 id="draft-heading" className="section-title">
        Draft
      </h2>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error ?? (publishing ? null : publish.error)} />
        <NoticeFields
          value={draft}
          onChange={(next) => {
            setDraft(next);
            setSaved(false);
          }}
          errors={errors}
        />
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save draft"}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              publish.reset();
              setPublishing(true);
            }}
          >
            Publish…
          </button>
          <button
            type="button"
            className="button button-ghost-danger"
            onClick={() => setDeleting(true)}
          >
            Delete draft
          </button>
          <span className="notice-saved" aria-live="polite">
            {saved ? "Draft saved." : ""}
          </span>
        </div>
      </form>
      <Modal
        open={publishing}
        title="Publish this notice"
        description="It appears at once on the public trust center and in its Atom feed. Its title and text cannot be changed afterwards; post updates instead."
        onClose={() => setPublishing(false)}
      >
        <div className="modal-body">
          <FormAlert error={publish.error} />
          <CheckboxField
            label="Notify subscribers by email"
            hint="Every confirmed subscriber receives the notice once."
            checked={notify}
            onChange={(e) => setNotify(e.target.checked)}
          />
        </div>
        <div className="modal-footer">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setPublishing(false)}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={publish.isPending}
            onClick={() => publish.mutate(undefined, { onSuccess: () => setPublishing(false) })}
          >
            {publish.isPending ? "Publishing…" : "Publish"}
          </button>
        </div>
      </Modal>
      <ConfirmDialog
        open={deleting}
        title="Delete this draft"
        confirmLabel="Delete draft"
        pending={remove.isPending}
        error={remove.error ? <FormAlert error={remove.error} /> : null}
        onConfirm={() => remove.mutate(undefined)}
        onClose={() => setDeleting(false)}
      >
        <p>The draft “{notice.title}” is deleted. It was never public.</p>
      </ConfirmDialog>
    </section>
  );
}

export function PostUpdate({ notice }: { notice: Notice }) {
  const api = useNoticesApi();
  const formRef = useRef<HTMLFormElement>(null);
  const [body, setBody] = useState("");
  const [notify, setNotify] = useState(false);
  const post = useNoticeMutation(() => api.postUpdate(notice.id, body, notify));
  useFocusFirstInvalid(formRef, post.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    post.mutate(undefined, {
      onSuccess: () => {
        setBody("");
        setNotify(false);
      },
    });
  }
  return (
    <section className="card section" aria-labelledby="post-update-heading">
      <h2 id="post-update-heading" className="section-title">
        Post an update
      </h2>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={post.isPending}>
        <FormAlert error={post.error} />
        <TextAreaField
          label="Update (Markdown)"
          hint="Appended with today's date; earlier text stays as published."
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={fieldErrorsOf(post.error).body}
          rows={5}
          required
        />
        <CheckboxField
          label="Notify subscribers by email"
          checked={notify}
          onChange={(e) => setNotify(e.target.checked)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={post.isPending}>
            {post.isPending ? "Posting…" : "Post update"}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ResolveDialog({
  notice,
  open,
  onClose,
}: {
  notice: Notice;
  open: boolean;
  onClose: () => void;
}) {
  const api = useNoticesApi();
  const [note, setNote] = useState("");
  const [notify, setNotify] = useState(false);
  const resolve = useNoticeMutation(() => api.resolve(notice.id, note, notify));
  return (
    <Modal
      open={open}
      title="Resolve this notice"
      description="It stays public, marked resolved, and moves to the recently resolved list."
      onClose={onClose}
    >
      <div className="modal-body">
        <FormAlert error={resolve.error} />
        <TextAreaField
          label="Closing note (optional, Markdown)"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={fieldErrorsOf(resolve.error).note}
          rows={4}
        />
        <CheckboxField
          label="Notify subscribers by email"
          hint="Needs a closing note."
          checked={notify}
          onChange={(e) => setNotify(e.target.checked)}
        />
      </div>
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={resolve.isPending}
          onClick={() => resolve.mutate(undefined, { onSuccess: onClose })}
        >
          {resolve.isPending ? "Resolving…" : "Resolve"}
        </button>
      </div>
    </Modal>
  );
}
