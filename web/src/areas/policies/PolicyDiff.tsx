// The changes between two versions, line by line. Added and removed lines are coloured and
// also marked + and −, and named for screen readers. Long unchanged stretches fold away.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField } from "../../ui/Field";
import { plural } from "../../ui/format";
import { LoadError, Spinner } from "../../ui/Loading";
import { keys } from "../../ui/queries";
import { policiesApi } from "./api";
import type { PolicyDiff as Diff, Policy } from "./types";

const CONTEXT = 3;

/** A diff line and its position in the whole diff (a stable key). */
type Line = Diff["lines"][number] & { n: number };
type Block = { kind: "lines"; lines: Line[] } | { kind: "fold"; lines: Line[] };

/** Unchanged runs longer than twice the context fold, keeping context around changes. */
function blocks(lines: Line[]): Block[] {
  const result: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]?.op !== "same") {
      const start = i;
      while (i < lines.length && lines[i]?.op !== "same") i++;
      result.push({ kind: "lines", lines: lines.slice(start, i) });
      continue;
    }
    const start = i;
    while (i < lines.length && lines[i]?.op === "same") i++;
    const run = lines.slice(start, i);
    const head = start === 0 ? 0 : CONTEXT;
    const tail = i === lines.length ? 0 : CONTEXT;
    if (run.length > head + tail + 2) {
      if (head) result.push({ kind: "lines", lines: run.slice(0, head) });
      result.push({ kind: "fold", lines: run.slice(head, run.length - tail) });
      if (tail) result.push({ kind: "lines", lines: run.slice(run.length - tail) });
    } else {
      result.push({ kind: "lines", lines: run });
    }
  }
  return result;
}

const SIGN = { added: "+", removed: "−", same: " " } as const;
const SPOKEN = { added: "Added: ", removed: "Removed: ", same: "" } as const;

function DiffLine({ line }: { line: Line }) {
  return (
    <li className={`diff-line diff-${line.op}`}>
      <span className="diff-sign" aria-hidden="true">
        {SIGN[line.op]}
      </span>
      <span className="diff-text">
        {SPOKEN[line.op] && <span className="visually-hidden">{SPOKEN[line.op]}</span>}
        {line.text || " "}
      </span>
    </li>
  );
}

function Fold({ lines }: { lines: Line[] }) {
  const [open, setOpen] = useState(false);
  if (open) return lines.map((line) => <DiffLine key={line.n} line={line} />);
  return (
    <li className="diff-fold">
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Show {plural(lines.length, "unchanged line")}
      </button>
    </li>
  );
}

function DiffView({ policyId, from, to }: { policyId: string; from: string; to: string }) {
  const diff = useQuery({
    queryKey: keys.policyDiff(policyId, from, to),
    queryFn: () => policiesApi.policyDiff(policyId, from, to),
  });
  if (diff.isPending) return <Spinner label="Comparing versions" />;
  if (diff.isError) return <LoadError error={diff.error} onRetry={() => diff.refetch()} />;
  const d = diff.data;
  return (
    <>
      <p className="diff-stats" aria-live="polite">
        Version {d.from.version} → version {d.to.version}:{" "}
        <span className="diff-stat-added">{plural(d.added, "line")} added</span>,{" "}
        <span className="diff-stat-removed">{plural(d.removed, "line")} removed</span>
      </p>
      {d.added + d.removed === 0 ? (
        <p className="muted">The two versions have the same text.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: long lines scroll; keyboard users must reach them
        <ol className="diff" aria-label="Changes" tabIndex={0}>
          {blocks(d.lines.map((line, n) => ({ ...line, n }))).map((block) =>
            block.kind === "fold" ? (
              <Fold key={`fold-${block.lines[0]?.n}`} lines={block.lines} />
            ) : (
              block.lines.map((line) => <DiffLine key={line.n} line={line} />)
            ),
          )}
        </ol>
      )}
    </>
  );
}

export function PolicyDiff({ policy }: { policy: Policy }) {
  const versions = policy.versions;
  const [to, setTo] = useState(versions[0]?.id ?? "");
  const [from, setFrom] = useState(versions[1]?.id ?? "");
  if (versions.length < 2) {
    return (
      <p className="muted">
        There is only one version so far. Changes show here once there is a second.
      </p>
    );
  }
  const options = versions.map((v) => (
    <option key={v.id} value={v.id}>
      Version {v.version} ({v.status})
    </option>
  ));
  return (
    <div className="stack">
      <div className="field-row">
        <SelectField label="From" value={from} onChange={(e) => setFrom(e.target.value)}>
          {options}
        </SelectField>
        <SelectField label="To" value={to} onChange={(e) => setTo(e.target.value)}>
          {options}
        </SelectField>
      </div>
      {from && to && <DiffView policyId={policy.id} from={from} to={to} />}
    </div>
  );
}
