// Import of a system's user export (username, email, role, admin, last_login): choose the
// file, read the preview (problems by line and column, unmatched accounts with a decision each,
// what the file no longer lists), then import it all at once.
import { useMutation, useQuery } from "@tanstack/react-query";
import { type ChangeEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { CheckboxField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { plural } from "../../ui/format";
import { apiRequest, seg } from "../../ui/http";
import { PageHeader } from "../../ui/PageHeader";
import { fetchAll } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import { useSession } from "../../ui/session";

type Preview = Answer<"/api/v1/systems/{id}/access-imports/preview", "post">;
type Result = Answer<"/api/v1/systems/{id}/access-imports", "post">;
type Choice = { kind: "leave" } | { kind: "person" | "service"; personId: string };

const LIMIT_BYTES = 32 * 1024 * 1024;

function decisionsOf(choices: Record<string, Choice>) {
  const decisions: Record<
    string,
    { personId: string } | { serviceOwnerId: string } | "leave_unlinked"
  > = {};
  for (const [username, choice] of Object.entries(choices)) {
    if (choice.kind === "leave") decisions[username] = "leave_unlinked";
    else if (choice.personId) {
      decisions[username] =
        choice.kind === "person"
          ? { personId: choice.personId }
          : { serviceOwnerId: choice.personId };
    }
  }
  return decisions;
}

function ProblemTable({ problems }: { problems: Preview["problems"] }) {
  return (
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
          {problems.map((p) => (
            <tr key={`${p.line}-${p.column}-${p.message}`}>
              <td>{p.line ?? "—"}</td>
              <td>{p.column ?? "—"}</td>
              <td>{p.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UnmatchedTable({
  unmatched,
  choices,
  onChoose,
  people,
}: {
  unmatched: Preview["unmatched"];
  choices: Record<string, Choice>;
  onChoose: (username: string, choice: Choice) => void;
  people: { id: string; name: string }[];
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Accounts matching nobody" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Account</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {unmatched.map((u) => {
            const choice = choices[u.username] ?? { kind: "leave" };
            return (
              <tr key={u.username}>
                <td>{u.line}</td>
                <td>
                  {u.username}
                  {u.email ? ` (${u.email})` : ""}
                </td>
                <td>
                  <select
                    aria-label={`What ${u.username} is`}
                    value={choice.kind}
                    onChange={(e) =>
                      onChoose(
                        u.username,
                        e.target.value === "leave"
                          ? { kind: "leave" }
                          : { kind: e.target.value as "person" | "service", personId: "" },
                      )
                    }
                  >
                    <option value="leave">Leave unlinked</option>
                    <option value="person">A person's account</option>
                    <option value="service">A service account, owned by</option>
                  </select>{" "}
                  {choice.kind !== "leave" && (
                    <select
                      aria-label={`Person for ${u.username}`}
                      value={choice.personId}
                      onChange={(e) =>
                        onChoose(u.username, { ...choice, personId: e.target.value })
                      }
                    >
                      <option value="">Choose a person…</option>
                      {people.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function AccessImportPage() {
  const { id = "" } = useParams();
  const { csrfToken } = useSession();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [removeMissing, setRemoveMissing] = useState(false);
  const people = useQuery({
    queryKey: ["people", "all-for-import"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/people", { limit: 200 }, 10),
  });
  const body = () => ({ csv: csv ?? "", decisions: decisionsOf(choices), removeMissing });
  const url = `/systems/${seg(id)}/access-imports`;
  const preview = useMutation({
    mutationFn: () => apiRequest<Preview>("POST", `${url}/preview`, body(), csrfToken),
  });
  const commit = useMutation({
    mutationFn: () => apiRequest<Result>("POST", url, body(), csrfToken),
  });

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    preview.reset();
    commit.reset();
    setChoices({});
    setCsv(null);
    setFileError(null);
    if (!file) return;
    if (file.size > LIMIT_BYTES) {
      setFileError("The file is larger than 32 MiB: split it, or export fewer columns.");
      return;
    }
    setCsv(await file.text());
  }

  const p = preview.data;
  const result = commit.data;
  return (
    <>
      <PageHeader
        title="Import accounts and grants"
        eyebrow={<Link to={`/systems/${seg(id)}`}>Back to the system</Link>}
        description="A CSV of the system's users: username, email, role, admin, last_login. Accounts are matched to people by email; nothing is written until you import."
      />
      <section className="card" aria-label="The file">
        <label className="field">
          <span className="field-label">User export (CSV)</span>
          <input type="file" accept=".csv,text/csv" onChange={onFile} />
        </label>
        {fileError && <p role="alert">{fileError}</p>}
        <button
          type="button"
          className="button button-secondary"
          disabled={csv === null || preview.isPending}
          onClick={() => preview.mutate()}
        >
          {preview.isPending ? "Reading…" : p ? "Preview again" : "Preview"}
        </button>
        <FormAlert error={preview.error} />
      </section>

      {p && !result && (
        <section className="card" aria-label="Preview">
          <h2>What the import would do</h2>
          <p>
            {plural(p.rows, "line")}: {p.accounts.create} accounts to create, {p.accounts.update} to
            update, {p.accounts.unchanged} unchanged; {p.grants.create} grants to create (
            {p.grants.roleChange} role changes), {p.grants.confirm} to confirm, {p.grants.unchanged}{" "}
            unchanged.
          </p>
          {p.problems.length > 0 && (
            <>
              <h3>{plural(p.problems.length, "problem")}: fix the file, then preview again</h3>
              <ProblemTable problems={p.problems.slice(0, 500)} />
              {p.problems.length > 500 && <p>The first 500 are listed.</p>}
            </>
          )}
          {p.unmatched.length > 0 && (
            <>
              <h3>{plural(p.unmatchedCount, "account")} matching nobody by email</h3>
              {p.unmatchedCount > p.unmatched.length && (
                <p>The first {p.unmatched.length} are listed; the others stay unlinked.</p>
              )}
              <UnmatchedTable
                unmatched={p.unmatched}
                choices={choices}
                onChoose={(username, choice) => setChoices({ ...choices, [username]: choice })}
                people={people.data ?? []}
              />
            </>
          )}
          {(p.missing.accountCount > 0 || p.missing.grantCount > 0) && (
            <>
              <h3>Not in the file</h3>
              <p>
                {plural(p.missing.accountCount, "account")} and{" "}
                {plural(p.missing.grantCount, "grant")} of this system are not in the file
                {p.missing.accounts.length > 0 &&
                  `: ${p.missing.accounts
                    .slice(0, 10)
                    .map((a) => a.username)
                    .join(", ")}${p.missing.accountCount > 10 ? "…" : ""}`}
                .
              </p>
              <CheckboxField
                label="Remove them (each removal is recorded)"
                checked={removeMissing}
                onChange={(e) => setRemoveMissing(e.target.checked)}
              />
            </>
          )}
          <FormAlert error={commit.error} />
          <button
            type="button"
            className="button button-primary"
            disabled={p.problems.length > 0 || commit.isPending}
            onClick={() => commit.mutate()}
          >
            {commit.isPending ? "Importing…" : `Import ${plural(p.rows, "line")}`}
          </button>
        </section>
      )}

      {result && (
        <section className="card" aria-label="Result" role="status">
          <h2>
            {result.changed ? "Imported" : "Nothing to change: the system already matches the file"}
          </h2>
          <p>
            Accounts: {result.accounts.created} created, {result.accounts.updated} updated,{" "}
            {result.accounts.linked} linked, {result.accounts.removed} removed. Grants:{" "}
            {result.grants.created} created, {result.grants.confirmed} confirmed,{" "}
            {result.grants.revoked} revoked, {result.grants.unchanged} unchanged.
          </p>
          <Link to={`/systems/${seg(id)}`}>Back to the system</Link>
        </section>
      )}
    </>
  );
}
