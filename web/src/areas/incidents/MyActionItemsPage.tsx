// The action items of lessons learned that the signed-in person owns, to complete.
import { EmptyState } from "../../ui/EmptyState";
import { plural } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { ActionItemsTable } from "./ActionItems";
import { useMyActionItems } from "./incidents.queries";

export function MyActionItemsPage() {
  const mine = useMyActionItems();
  const items = mine.data?.items ?? [];
  const open = items.filter((i) => !i.completedAt).length;
  return (
    <>
      <PageHeader
        title="My action items"
        description="Improvements the lessons learned of incidents asked of you, each due on its date."
      />
      {mine.isPending && <PageLoading label="Loading your action items" />}
      {mine.isError && <LoadError error={mine.error} onRetry={() => mine.refetch()} />}
      {mine.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(open, "open action item")}
        </p>
      )}
      {mine.isSuccess && items.length === 0 && (
        <EmptyState icon="check" title="Nothing to do">
          <p>When the lessons learned of an incident give you an action, it shows here.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <ActionItemsTable items={items} canManage={false} label="My action items" />
      )}
    </>
  );
}
