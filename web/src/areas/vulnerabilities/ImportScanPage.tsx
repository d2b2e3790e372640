// Import of a scanner file for a system: choose the system, the file and its format (detected
// by default), check it (a dry run answering the counts it would make, or every problem in the
// file), then import it. The file goes to the server as it is, never read into the page.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { formatBytes, formatDateTime, plural } from "../../ui/format";
import { ApiError, apiRequest, withQuery } from "../../ui/http";
import { PageHeader } from "../../ui/PageHeader";
import { type ScanImport, scanImportKeys, useScanSystems } from "./ScanImportsPage";

const FORMATS = [
  ["auto", "Detect from the file"],
  ["sarif", "SARIF 2.1.0"],
  ["trivy", "Trivy JSON"],
  ["grype", "Grype JSON"],
  ["npm-audit", "npm audit JSON"],
  ["osv", "OSV-Scanner JSON"],
  ["csv", "CSV"],
] as const;

function Counts({ result }: { result: ScanImport }) {
  return (
    <ul className="plain-list">
      <li>{plural(result.results, "result")} in the file</li>
      <li>{plural(result.created, "new finding")}</li>
      <li>{result.unchanged} still present</li>
      <li>{result.reopened} reopened (found again after being resolved)</li>
      <li>{result.resolved} resolved (no longer found)</li>
    </ul>
  );
}

/** Every problem the server named in the file, by where it is. */
function Problems({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || error.fieldErrors.length === 0) {
    return <FormAlert error={error} />;
  }
  return (
    <div role="alert">
      <p>
        <strong>The file cannot be imported:</strong> {plural(error.fieldErrors.length, "problem")}
      </p>
      <ul>
        {error.fieldErrors.map((p) => (
          <li key={`${p.field}-${p.message}`}>
            {p.field === "file" ? "" : `${p.field.replace(/^file: /, "")}: `}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportScanPage() {
  const [params] = useSearchParams();
  const systems = useScanSystems();
  const queryClient = useQueryClient();
  const [systemId, setSystemId] = useState(params.get("systemId") ?? "");
  const [format, setFormat] = useState("auto");
  const [scannedAt, setScannedAt] = useState("");
  const [file, setFile] = useState<File | null>(null);

  const send = (dryRun: boolean) => {
    if (!file) throw new Error("Choose a file first.");
    const path = withQuery("/finding-imports", {
      systemId,
      format,
      fileName: file.name,
      scannedAt: scannedAt ? new Date(scannedAt).toISOString() : undefined,
      dryRun: dryRun ? "true" : undefined,
    });
    // A File is a Blob: the browser sends it from disk as the body.
    const body = new Blob([file], { type: "application/octet-stream" });
    return apiRequest<ScanImport>("POST", path, body);
  };
  const check = useMutation({ mutationFn: () => send(true) });
  const commit = useMutation({
    mutationFn: () => send(false),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scanImportKeys.all }),
  });

  function reset() {
    check.reset();
    commit.reset();
  }
  function onFile(event: ChangeEvent<HTMLInputElement>) {
    reset();
    setFile(event.target.files?.[0] ?? null);
  }

  const checked = check.data;
  const result = commit.data;
  const ready = Boolean(systemId && file);
  return (
    <>
      <PageHeader
        title="Import a scan"
        eyebrow={<Link to="/vulnerabilities/imports">Scan imports</Link>}
        description="A scanner's output for one system: SARIF, Trivy, Grype, npm audit, OSV-Scanner or CSV. New findings are opened, those no longer found resolved, and returning ones reopened with their first deadline. The file is kept as evidence of the scan."
      />
      <section className="card" aria-label="The scan">
        <SelectField
          label="System"
          value={systemId}
          onChange={(e) => {
            reset();
            setSystemId(e.target.value);
          }}
        >
          <option value="">Choose a system…</option>
          {(systems.data ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <label className="field">
          <span className="field-label">Scanner file</span>
          <input
            type="file"
            accept=".json,.sarif,.csv,application/json,text/csv"
            onChange={onFile}
          />
        </label>
        {file && <p className="muted">{`${file.name}, ${formatBytes(file.size)}`}</p>}
        <SelectField
          label="Format"
          value={format}
          onChange={(e) => {
            reset();
            setFormat(e.target.value);
          }}
        >
          {FORMATS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField
          label="When the scan ran"
          hint="Only if the file does not say; leave empty for now."
          type="datetime-local"
          value={scannedAt}
          onChange={(e) => {
            reset();
            setScannedAt(e.target.value);
          }}
        />
        <div className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={!ready || check.isPending}
            onClick={() => check.mutate()}
          >
            {check.isPending ? "Checking…" : "Check file"}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!ready || commit.isPending || Boolean(result)}
            onClick={() => commit.mutate()}
          >
            {commit.isPending ? "Importing…" : "Import"}
          </button>
        </div>
        {check.isError && <Problems error={check.error} />}
        {commit.isError && <Problems error={commit.error} />}
      </section>

      {checked && !result && (
        <section className="card" aria-label="Check" role="status">
          <h2>
            {checked.duplicate
              ? "This file was imported already: importing it again changes nothing"
              : `The file reads well: a ${checked.tool} scan of ${formatDateTime(checked.scannedAt)}`}
          </h2>
          {!checked.duplicate && <p>Importing it would give:</p>}
          <Counts result={checked} />
        </section>
      )}

      {result && (
        <section className="card" aria-label="Result" role="status">
          <h2>
            {result.duplicate
              ? "Nothing changed: this file was imported already"
              : `Imported the ${result.tool} scan of ${result.systemName}`}
          </h2>
          <Counts result={result} />
          <p>
            <Link to={`/vulnerabilities?systemId=${encodeURIComponent(result.systemId)}`}>
              The findings of {result.systemName}
            </Link>
            {" · "}
            <Link to={`/vulnerabilities/imports?systemId=${encodeURIComponent(result.systemId)}`}>
              Its scan imports
            </Link>
          </p>
        </section>
      )}
    </>
  );
}
