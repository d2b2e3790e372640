// The evidence library's filter form: search, control, validity, kind. The page keeps the
// applied values in the URL, so a filtered view can be shared.
import { type FormEvent, useState } from "react";
import { KINDS, type LibraryFilter, VALIDITIES } from "../evidence-types";
import { useControls } from "../queries";
import { SelectField, TextField } from "./Field";

export const NO_FILTER: LibraryFilter = { q: "", control: "", validity: "", kind: "" };

interface Props {
  initial: LibraryFilter;
  onApply: (filter: LibraryFilter) => void;
}

export function EvidenceLibraryFilters({ initial, onApply }: Props) {
  const [values, setValues] = useState(initial);
  const controls = useControls();
  const set = <K extends keyof LibraryFilter>(name: K, value: LibraryFilter[K]) =>
    setValues((current) => ({ ...current, [name]: value }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ ...values, q: values.q.trim() });
  }

  function clear() {
    setValues(NO_FILTER);
    onApply(NO_FILTER);
  }

  const known = controls.data ?? [];
  return (
    <search aria-label="Filter evidence">
      <form className="toolbar filter-form" onSubmit={onSubmit}>
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
        <div className="toolbar-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button button-ghost" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
    </search>
  );
}
