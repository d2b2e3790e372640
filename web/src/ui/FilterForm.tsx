// What the list pages' filter forms share: values edited in the form and applied on submit
// (the page keeps applied values in the URL), a Clear that empties and applies at once, and
// the search landmark around the form.
import { type FormEvent, type ReactNode, useState } from "react";

/**
 * The form's values: `set` edits one, `apply` hands them to `onApply` tidied (say, trimmed),
 * `clear` sets and applies `empty`.
 */
export function useFilterValues<T extends object>(
  initial: T,
  options: { empty: T; onApply: (values: T) => void; tidy?: (values: T) => T },
) {
  const { empty, onApply, tidy = (values: T) => values } = options;
  const [values, setValues] = useState(initial);
  return {
    values,
    set: <K extends keyof T>(name: K, value: T[K]) =>
      setValues((current) => ({ ...current, [name]: value })),
    apply: () => onApply(tidy(values)),
    clear: () => {
      setValues(empty);
      onApply(empty);
    },
  };
}

/** A search landmark holding the fields, then Apply filters and Clear. */
export function FilterForm({
  label,
  onApply,
  onClear,
  children,
}: {
  label: string;
  onApply: () => void;
  onClear: () => void;
  children: ReactNode;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply();
  }
  return (
    <search aria-label={label}>
      <form className="toolbar filter-form" onSubmit={onSubmit}>
        {children}
        <div className="toolbar-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button button-ghost" onClick={onClear}>
            Clear
          </button>
        </div>
      </form>
    </search>
  );
}
