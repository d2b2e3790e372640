// The control catalog, grouped by category, with search and a status filter.
import { useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { CATEGORIES, plural, slug } from "../../ui/format";
import { useScrollToHash } from "../../ui/hooks";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import type { Control, ControlStatus } from "../../ui/schema";
import { ControlRow } from "./ControlRow";
import { useControls } from "./queries";

const STATUS_OPTIONS: { value: ControlStatus | ""; label: string }[] = [
  { value: "", label: "All statuses" },
  { value: "failing", label: "Failing" },
  { value: "needs_attention", label: "Needs attention" },
  { value: "passing", label: "Passing" },
  { value: "not_applicable", label: "Not applicable" },
  { value: "not_evaluated", label: "Not evaluated" },
];

function matches(control: Control, query: string, status: string): boolean {
  if (status && control.status !== status) return false;
  if (!query) return true;
  const haystack = [
    control.title,
    control.key,
    control.description,
    control.owner?.name ?? "",
    ...control.criteria,
  ]
    .join(" ")
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

function CategorySection({ category, controls }: { category: string; controls: Control[] }) {
  const id = slug(category);
  return (
    <section
      className="control-group"
      aria-labelledby={`${id}-heading`}
      data-category={category}
      id={id}
    >
      <div className="control-group-header">
        <h2 className="control-group-title" id={`${id}-heading`}>
          {category}
        </h2>
        <span className="count-pill">{plural(controls.length, "control")}</span>
      </div>
      <ul className="control-list">
        {controls.map((control) => (
          <ControlRow key={control.key} control={control} />
        ))}
      </ul>
    </section>
  );
}

export function ControlsPage() {
  const controls = useControls();
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const status = params.get("status") ?? "";
  useScrollToHash(controls.isSuccess);

  function setFilter(name: "q" | "status", value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  const all = controls.data ?? [];
  const visible = all.filter((c) => matches(c, query.trim(), status));
  const known = new Set<string>(CATEGORIES);
  const categories = [
    ...CATEGORIES,
    ...new Set(all.map((c) => c.category).filter((c) => !known.has(c))),
  ];

  return (
    <>
      <PageHeader
        title="Controls"
        description="Every control of your security program, what it requires, who owns it and whether it operates."
      />
      <search className="toolbar" aria-label="Filter controls">
        <TextField
          label="Search controls"
          type="search"
          placeholder="Title, key, criterion or owner"
          value={query}
          onChange={(e) => setFilter("q", e.target.value)}
          className="input-search"
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setFilter("status", e.target.value)}
        >
          {STATUS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </search>
      {controls.isPending && <PageLoading label="Loading controls" />}
      {controls.isError && <LoadError error={controls.error} onRetry={() => controls.refetch()} />}
      {controls.isSuccess && (
        <>
          <p className="result-count" aria-live="polite">
            {visible.length === all.length
              ? plural(all.length, "control")
              : `${visible.length} of ${plural(all.length, "control")} shown`}
          </p>
          {visible.length === 0 && (
            <EmptyState icon="search" title="No controls match">
              <p>Try a different word, or clear the filters.</p>
            </EmptyState>
          )}
          {categories.map((category) => {
            const inCategory = visible.filter((c) => c.category === category);
            return (
              inCategory.length > 0 && (
                <CategorySection key={category} category={category} controls={inCategory} />
              )
            );
          })}
        </>
      )}
    </>
  );
}
