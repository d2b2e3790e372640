// A modal built on the native <dialog>: focus moves in, Escape closes, the page behind is inert.
import { type ReactNode, useEffect, useId, useRef } from "react";
import { Icon } from "./Icon";

interface ModalProps {
  open: boolean;
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}

export function Modal({ open, title, description, onClose, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // The element that opened the dialog gets focus back when it closes. Browsers restore it
  // for a <dialog> themselves, but not when the opener was re-rendered or is gone; then focus
  // would be left on <body>, so it goes to the opener if it is still there, else the heading.
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current =
        document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      const back = opener.current;
      opener.current = null;
      const lost = !document.activeElement || document.activeElement === document.body;
      // An opener the action removed (a row deleted, a request decided): the page's heading.
      const fallback = document.querySelector<HTMLElement>("#main h1[tabindex]");
      if (lost) (back?.isConnected ? back : fallback)?.focus();
    }
  }, [open]);

  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} onClose={onClose}>
      {open && (
        <div className="modal-content">
          <div className="modal-header">
            <h2 id={titleId} className="modal-title">
              {title}
            </h2>
            <button
              type="button"
              className="icon-button"
              onClick={onClose}
              aria-label="Close dialog"
            >
              <Icon name="close" />
            </button>
          </div>
          {description && <div className="modal-description">{description}</div>}
          {children}
        </div>
      )}
    </dialog>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: ReactNode;
  /** The confirm button's look: "danger" (the default) for what removes or ends something. */
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pending,
  error,
  tone = "danger",
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  return (
    <Modal open={open} title={title} onClose={onClose}>
      <div className="modal-body">{children}</div>
      {error}
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={`button button-${tone}`}
          onClick={onConfirm}
          disabled={pending}
        >
          {pending ? "Working…" : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
