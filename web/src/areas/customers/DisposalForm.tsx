// Recording the disposal of a customer's data in one data store: how, by whom, on which day,
// with notes and, optionally, a file of evidence.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { todayDateInput } from "../../ui/format";
import { fetchAll } from "../../ui/pager";
import { customersApi, useCustomerMutation } from "./customers.api";
import { METHODS } from "./customers.components";
import type { DisposalTask, NewDisposal } from "./customers.types";

export function DisposalForm({
  customerId,
  task,
  onDone,
}: {
  customerId: string;
  task: DisposalTask;
  onDone: () => void;
}) {
  const people = useQuery({
    queryKey: ["people", "all-for-disposal"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/people", { limit: 200 }, 10),
  });
  const [method, setMethod] = useState<NewDisposal["method"]>("deleted");
  const [methodOther, setMethodOther] = useState("");
  const [personId, setPersonId] = useState("");
  const [day, setDay] = useState(todayDateInput());
  const [notes, setNotes] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const record = useCustomerMutation(async () => {
    const view = await customersApi.recordDisposal(customerId, {
      systemId: task.system.id,
      method,
      ...(method === "other" ? { methodOther } : {}),
      disposedById: personId,
      disposedOn: day,
      ...(notes.trim() ? { notes } : {}),
    });
    const disposal = view.tasks.find((t) => t.system.id === task.system.id)?.disposal;
    if (file && disposal) await customersApi.attach(customerId, disposal.id, file);
    return view;
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    record.mutate(undefined, { onSuccess: onDone });
  }
  const label = `Record the disposal in ${task.system.name}`;
  return (
    <form className="card section" aria-label={label} onSubmit={onSubmit}>
      <h3 className="section-title">{label}</h3>
      <SelectField
        label="Method"
        value={method}
        onChange={(e) => setMethod(e.target.value as NewDisposal["method"])}
      >
        {METHODS.map((m) => (
          <option key={m.value} value={m.value}>
            {m.label}
          </option>
        ))}
      </SelectField>
      {method === "other" && (
        <TextField
          label="What was done"
          required
          value={methodOther}
          onChange={(e) => setMethodOther(e.target.value)}
        />
      )}
      <SelectField
        label="Disposed of by"
        required
        value={personId}
        onChange={(e) => setPersonId(e.target.value)}
      >
        <option value="">Choose a person…</option>
        {(people.data ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Disposed of on"
        type="date"
        required
        value={day}
        max={todayDateInput()}
        onChange={(e) => setDay(e.target.value)}
      />
      <TextAreaField label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      <label className="field">
        <span className="field-label">Evidence (optional)</span>
        <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <FormAlert error={record.error} />
      <button type="submit" className="button button-primary" disabled={record.isPending}>
        {record.isPending ? "Recording…" : "Record the disposal"}
      </button>
    </form>
  );
}
