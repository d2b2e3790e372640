// Risk acceptances: those awaiting my decision first, then every one by status.
import { useState } from "react";
import { SelectField } from "../../ui/Field";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { AcceptanceList } from "./AcceptanceList";
import { useAcceptances } from "./findings.queries";

function Section({
  title,
  query,
  empty,
  id,
}: {
  title: string;
  query: Record<string, string>;
  empty: string;
  id: string;
}) {
  const list = useAcceptances(query);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {list.isPending && <PageLoading label={`Loading ${title.toLowerCase()}`} />}
      {list.isError && <LoadError error={list.error} onRetry={() => list.refetch()} />}
      {list.isSuccess && items.length === 0 && <p className="muted">{empty}</p>}
      {items.length > 0 && <AcceptanceList acceptances={items} showFinding />}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => list.fetchNextPage()}
      />
    </section>
  );
}

export function AcceptancesPage() {
  const can = useCan();
  const [status, setStatus] = useState("pending");
  return (
    <>
      <PageHeader
        eyebrow="Vulnerabilities"
        title="Risk acceptances"
        description="Asking to accept a finding's risk until a date; an owner or admin other than the one who asked decides."
      />
      {can("vulnerabilities.approve") && (
        <Section
          id="mine-heading"
          title="Awaiting my decision"
          query={{ mine: "true" }}
          empty="Nothing awaits your decision."
        />
      )}
      <SelectField label="Show" value={status} onChange={(e) => setStatus(e.target.value)}>
        <option value="pending">Pending</option>
        <option value="approved">Approved, in force</option>
        <option value="rejected">Rejected</option>
      </SelectField>
      <Section id="all-heading" title="All risk acceptances" query={{ status }} empty="None." />
    </>
  );
}
