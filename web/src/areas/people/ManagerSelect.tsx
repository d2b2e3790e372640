// Choosing a person's manager: a search over the people list, then a select of the matches.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField, TextField } from "../../ui/Field";
import { useDebounced } from "../../ui/hooks";
import { keys } from "../../ui/queries";
import { peopleApi } from "./api";

export function ManagerSelect({
  value,
  valueName,
  excludeId,
  onChange,
  error,
}: {
  value: string | null;
  /** The current manager's name, shown while they are not among the matches. */
  valueName: string | null;
  /** The person being edited: not their own manager. */
  excludeId?: string | undefined;
  onChange: (id: string | null, name: string | null) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const found = useQuery({
    queryKey: [...keys.people, "manager-options", q],
    queryFn: () => peopleApi.people({ q: q || undefined, status: "active" }, undefined, 50),
    staleTime: 30_000,
  });
  const options = (found.data?.items ?? []).filter((p) => p.id !== excludeId);
  const showCurrent = value !== null && !options.some((p) => p.id === value);
  return (
    <div className="field-row">
      <TextField
        label="Find a manager"
        type="search"
        name="managerSearch"
        autoComplete="off"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        hint="Name, email or reference (P-12)."
      />
      <SelectField
        label="Manager (optional)"
        name="managerId"
        value={value ?? ""}
        error={error}
        onChange={(e) => {
          const id = e.target.value || null;
          onChange(id, options.find((p) => p.id === id)?.name ?? (id ? valueName : null));
        }}
      >
        <option value="">No manager</option>
        {showCurrent && <option value={value}>{valueName ?? "Current manager"}</option>}
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.reference})
          </option>
        ))}
      </SelectField>
    </div>
  );
}
