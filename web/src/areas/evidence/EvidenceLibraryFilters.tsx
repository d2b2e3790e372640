// The evidence library's filter form: search, control, validity, kind. The page keeps the
// applied values in the URL, so a filtered view can be shared.

import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { useControls } from "../controls/queries";
import { KINDS, type LibraryFilter, VALIDITIES } from "./types";

export const NO_FILTER: LibraryFilter = { q: "", control: "", validity: "", kind: "" };

interface Props {
  initial: LibraryFilter;
  onApply: (filter: LibraryFilter) => void;
}

export function EvidenceLibraryFilters({ initial, onApply }: Props) {
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: NO_FILTER,
    onApply,
    tidy: (filter) => ({ ...filter, q: filter.q.trim() }),
  });
  const controls = useControls();
  const known = controls.data ?? [];
  return (
    <FilterForm label="Filter evidence" onApply={apply} onClear={clear}>
      <TextField
        label="Search"
        name="q"
        type="search"
        placeholder="Title, description, file name or URL"
        value={values.q}
        maxLength={200}
        onChange={(e) => set("q", e.target.value)}
      />
      <SelectField
        label="Control"
        name="control"
        value={values.control}
        onChange={(e) => set("control", e.target.value)}
      >
        <option value="">All controls</option>
        {known.map((control) => (
          <option key={control.key} value={control.key}>
            {control.title}
          </option>
        ))}
        {values.control && !known.some((c) => c.key === values.control) && (
          <option value={values.control}>{values.control}</option>
        )}
      </SelectField>
      <SelectField
        label="Validity"
        name="validity"
        value={values.validity}
        onChange={(e) => set("validity", e.target.value as LibraryFilter["validity"])}
      >
        <option value="">Any validity</option>
        {VALIDITIES.map((validity) => (
          <option key={validity.value} value={validity.value}>
            {validity.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Kind"
        name="kind"
        value={values.kind}
        onChange={(e) => set("kind", e.target.value as LibraryFilter["kind"])}
      >
        <option value="">Files and links</option>
        {KINDS.map((kind) => (
          <option key={kind.value} value={kind.value}>
            {kind.label}
          </option>
        ))}
      </SelectField>
    </FilterForm>
  );
}
