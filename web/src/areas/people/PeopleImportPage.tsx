// Importing people from a CSV file: choose it, see every problem by line and column and what
// each row would change, then import it all at once (nothing is written while a problem is left).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { Callout } from "../../ui/Callout";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import { peopleApi } from "./api";
import type { ImportPreview } from "./types";

const COLUMNS = "name, email, job_role, employment_type, start_date, end_date, manager_email";

function Problems({ preview }: { preview: ImportPreview }) {
  return (
    <section className="card section" aria-labelledby="problems-heading">
      <h2 id="problems-heading" className="section-title">
        {plural(preview.problemCount, "problem")} to fix first
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {preview.problems.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a line may have several problems
              <tr key={i}>
                <td>{p.line ?? "—"}</td>
                <td>{p.column ?? <span className="muted">the whole row</span>}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.problemCount > preview.problems.length && (
        <p className="muted">
          The first {preview.problems.length} are listed; fix them and check the file again.
        </p>
      )}
    </section>
  );
}

function Changes({ preview }: { preview: ImportPreview }) {
  const tone = { create: "success", update: "info", unchanged: "neutral" } as const;
  return (
    <section className="card section" aria-labelledby="changes-heading">
      <h2 id="changes-heading" className="section-title">
        {plural(preview.create, "person", "people")} to add,{" "}
        {plural(preview.update, "person", "people")} to change, {preview.unchanged} unchanged
      </h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard */}
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Email</th>
              <th scope="col">Change</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((c) => (
              <tr key={c.line}>
                <td>{c.line}</td>
                <td>{c.email}</td>
                <td>
                  <Badge tone={tone[c.action]}>{c.action}</Badge>
                </td>
                <td>{c.fields.join(", ") || <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.rows > preview.changes.length && (
        <p className="muted">The first {preview.changes.length} rows are listed.</p>
      )}
    </section>
  );
}

export function PeopleImportPage() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const preview = useMutation({ mutationFn: (chosen: File) => peopleApi.previewImport(chosen) });
  const commit = useMutation({
    mutationFn: (chosen: File) => peopleApi.commitImport(chosen),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.people });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
    },
    // Refused because the people changed since the preview: show the problems as they are now.
    onError: () => {
      if (file) preview.mutate(file);
    },
  });
  const checked = preview.data;
  const toWrite = checked ? checked.create + checked.update : 0;
  const ready = checked !== undefined && checked.problemCount === 0 && toWrite > 0;

  function choose(chosen: File | null) {
    setFile(chosen);
    commit.reset();
    preview.reset();
    if (chosen) preview.mutate(chosen);
  }

  return (
    <>
      <Link className="back-link" to="/people">
        <Icon name="arrowLeft" />
        All people
      </Link>
      <PageHeader
        title="Import people"
        description={`A CSV file with a header row: ${COLUMNS}. Name, email and start_date are required; rows are matched to people by email. Nothing is written until the whole file is right.`}
      />
      <section className="card section" aria-labelledby="file-heading">
        <h2 id="file-heading" className="section-title">
          File
        </h2>
        <div className="field">
          <label className="field-label" htmlFor="people-csv">
            CSV file
          </label>
          <input
            id="people-csv"
            className="input"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
          />
        </div>
        {preview.isPending && <p aria-live="polite">Checking the file…</p>}
        <FormAlert error={preview.error} />
      </section>
      {commit.isSuccess && (
        <Callout tone="success" title="Imported" role="status" focusOnMount>
          {plural(commit.data.created, "person", "people")} added,{" "}
          {plural(commit.data.updated, "person", "people")} changed, {commit.data.unchanged}{" "}
          unchanged. <Link to="/people">See the people list</Link>.
        </Callout>
      )}
      {commit.isError && <FormAlert error={commit.error} />}
      {checked && !commit.isSuccess && (
        <>
          {checked.problemCount > 0 && <Problems preview={checked} />}
          {checked.problemCount === 0 && toWrite === 0 && (
            <Callout tone="info" title="Nothing to change" role="status">
              Every row matches the people list already.
            </Callout>
          )}
          <Changes preview={checked} />
          <div className="form-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={!ready || commit.isPending}
              onClick={() => file && commit.mutate(file)}
            >
              {commit.isPending ? "Importing…" : `Import ${plural(toWrite, "person", "people")}`}
            </button>
          </div>
        </>
      )}
    </>
  );
}
