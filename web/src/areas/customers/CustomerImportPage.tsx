// Import of customers from CSV (name, reference, contract_start, contract_end, retention,
// data_stores): choose the file, read the preview (every problem by line and column, what each
// row would do), then import it all at once.
import { type ChangeEvent, useState } from "react";
import { Link } from "react-router";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { PageHeader } from "../../ui/PageHeader";
import { customersApi, useCustomerMutation } from "./customers.api";

const LIMIT_BYTES = 32 * 1024 * 1024;
const ACTIONS = { create: "New customer", update: "Changes", unchanged: "No change" };

export function CustomerImportPage() {
  const [csv, setCsv] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const preview = useCustomerMutation(() => customersApi.preview(csv ?? ""));
  const commit = useCustomerMutation(() => customersApi.commit(csv ?? ""));

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    preview.reset();
    commit.reset();
    setCsv(null);
    setFileError(null);
    if (!file) return;
    if (file.size > LIMIT_BYTES) {
      setFileError("The file is larger than 32 MiB: split it.");
      return;
    }
    setCsv(await file.text());
  }

  const p = preview.data;
  const result = commit.data;
  return (
    <>
      <PageHeader
        title="Import customers"
        eyebrow={<Link to="/customers">Back to the customers</Link>}
        description='A CSV with the columns name, reference, contract_start, contract_end, retention (days after the contract ends, or "policy" for the default) and data_stores (system names separated by ";"). A row matches a customer by reference, else by name; nothing is written until you import.'
      />
      <section className="card section" aria-label="The file">
        <label className="field">
          <span className="field-label">Customers (CSV)</span>
          <input type="file" accept=".csv,text/csv" onChange={onFile} />
        </label>
        {fileError && <p role="alert">{fileError}</p>}
        <button
          type="button"
          className="button button-secondary"
          disabled={csv === null || preview.isPending}
          onClick={() => preview.mutate(undefined)}
        >
          {preview.isPending ? "Reading…" : p ? "Preview again" : "Preview"}
        </button>
        <FormAlert error={preview.error} />
      </section>
      {p && (
        <section className="card section" aria-labelledby="preview-heading">
          <h2 className="section-title" id="preview-heading">
            Preview
          </h2>
          <p>
            {plural(p.rows, "row")}: {p.create} new, {p.update} changed, {p.unchanged} unchanged
            {p.problems.length > 0 ? `; ${plural(p.problems.length, "problem")} to fix first` : ""}.
          </p>
          {p.problems.length > 0 && (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
            <section className="table-wrap" aria-label="Problems in the file" tabIndex={0}>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {p.problems.map((problem) => (
                    <tr key={`${problem.line}-${problem.column}-${problem.message}`}>
                      <td>{problem.line ?? "—"}</td>
                      <td>{problem.column ?? "—"}</td>
                      <td>{problem.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {p.lines.length > 0 && (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
            <section className="table-wrap" aria-label="Rows of the file" tabIndex={0}>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Customer</th>
                    <th scope="col">What happens</th>
                  </tr>
                </thead>
                <tbody>
                  {p.lines.map((line) => (
                    <tr key={line.line}>
                      <td>{line.line}</td>
                      <td>{line.name}</td>
                      <td>
                        {ACTIONS[line.action]}
                        {line.changes.length > 0 ? `: ${line.changes.join(", ")}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <button
            type="button"
            className="button button-primary"
            disabled={p.problems.length > 0 || commit.isPending || Boolean(result)}
            onClick={() => commit.mutate(undefined)}
          >
            {commit.isPending ? "Importing…" : "Import"}
          </button>
          <FormAlert error={commit.error} />
          {result && (
            <p role="status">
              {result.changed
                ? `Imported: ${result.created} new, ${result.updated} changed, ${result.unchanged} unchanged.`
                : "Nothing to change: every customer is already as the file says."}{" "}
              <Link to="/customers">See the customers</Link>
            </p>
          )}
        </section>
      )}
    </>
  );
}
