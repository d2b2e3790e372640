// A dialog that confirms an action with a comment (optional) or a reason (required).
import { type FormEvent, type ReactNode, useState } from "react";
import { TextAreaField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { Modal } from "../../ui/Modal";

interface CommentDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  label: string;
  required?: boolean;
  confirmLabel: string;
  danger?: boolean;
  /** The action cannot be confirmed yet; the children say why. */
  confirmDisabled?: boolean;
  pending: boolean;
  error: unknown;
  onConfirm: (text: string) => void;
  onClose: () => void;
}

function CommentForm(props: Omit<CommentDialogProps, "open" | "title">) {
  const [text, setText] = useState("");
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onConfirm(text.trim());
  }
  return (
    <form className="form" onSubmit={onSubmit} aria-busy={props.pending}>
      {props.children && <div className="modal-body">{props.children}</div>}
      <FormAlert error={props.error} />
      <TextAreaField
        label={props.label}
        name="comment"
        rows={3}
        maxLength={1000}
        required={props.required}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="submit"
          className={props.danger ? "button button-danger" : "button button-primary"}
          disabled={props.pending || props.confirmDisabled || (props.required && !text.trim())}
        >
          {props.pending ? "Working…" : props.confirmLabel}
        </button>
      </div>
    </form>
  );
}

export function CommentDialog({ open, title, ...form }: CommentDialogProps) {
  return (
    <Modal open={open} title={title} onClose={form.onClose}>
      {open && <CommentForm {...form} />}
    </Modal>
  );
}
