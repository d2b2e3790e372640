// The confirmation before publishing the trust center: what the public page will show, read
// from the server, and nothing published until the person confirms.
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { Modal } from "../../ui/Modal";
import { usePublishSummary, useTrustCenterMutations } from "./queries";
import type { PublishSummary } from "./types";

function controlsLine(c: PublishSummary["controls"]): string {
  if (c.shown === 0) {
    return c.onlyInPlace
      ? "No chosen control is in place right now, so the page has no controls section."
      : "No control is chosen, so the page has no controls section.";
  }
  return c.onlyInPlace
    ? `${plural(c.inPlace, "control")} in place (only controls in place are listed).`
    : `${plural(c.inPlace, "control")} in place and ${plural(c.inProgress, "control")} in progress.`;
}

function statusLine(s: PublishSummary): string {
  if (s.firstPublication) return "This is the first publication: the page goes online for anyone.";
  if (!s.online) return "The page is offline now: publishing puts it back online for anyone.";
  return "The page is online now: publishing replaces what visitors see.";
}

export function TrustPublishDialog({
  open,
  onClose,
  onPublished,
}: {
  open: boolean;
  onClose: () => void;
  onPublished: () => void;
}) {
  const summary = usePublishSummary(open);
  const { publish } = useTrustCenterMutations();
  const close = () => {
    publish.reset();
    onClose();
  };
  const s = summary.data;
  return (
    <Modal
      open={open}
      title="Publish the trust center?"
      description="This is what the public page will show. Control status is live: it is counted as of now."
      onClose={close}
    >
      {summary.isPending && <PageLoading label="Reading what will be public" />}
      {summary.isError && <LoadError error={summary.error} onRetry={() => summary.refetch()} />}
      {s && (
        <div className="modal-body stack" data-testid="publish-summary">
          <p>{statusLine(s)}</p>
          {s.controls.shown === 0 && <p>{controlsLine(s.controls)}</p>}
          {s.sections.length === 0 ? (
            <p>Only the company name and overview.</p>
          ) : (
            <ul aria-label="Sections shown">
              {s.sections.map((section) => (
                <li key={section.key}>
                  <strong>{section.title}</strong>
                  {section.key === "controls" ? `: ${controlsLine(s.controls)} ` : ""}
                  {section.items.length > 0
                    ? `${section.key === "controls" ? "By category" : ""}: ${section.items.join("; ")}`
                    : ""}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <FormAlert error={publish.error} />
      <div className="modal-footer">
        <button type="button" className="button button-secondary" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!s || publish.isPending}
          onClick={() => {
            if (!s) return;
            publish.mutate(s.draftVersion, {
              onSuccess: () => {
                onPublished();
                close();
              },
              // The draft changed meanwhile: show the summary of what it is now.
              onError: () => void summary.refetch(),
            });
          }}
        >
          {publish.isPending ? "Publishing…" : "Publish now"}
        </button>
      </div>
    </Modal>
  );
}
