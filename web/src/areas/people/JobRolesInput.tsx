// Choosing job roles: type or pick one the people list already has, add it as a chip; each
// chip has its own remove button. A policy's audience, a system's allowed and admin roles.
import { type KeyboardEvent, useId, useState } from "react";
import { Icon } from "../../ui/Icon";
import { useCan } from "../../ui/session";
import { useJobRoles } from "./queries";

interface JobRolesInputProps {
  label: string;
  hint: string;
  value: string[];
  onChange: (roles: string[]) => void;
  error?: string | undefined;
}

export function JobRolesInput({ label, hint, value, onChange, error }: JobRolesInputProps) {
  const can = useCan();
  const suggestions = useJobRoles(can("people.read"));
  const id = useId();
  const [text, setText] = useState("");

  function add() {
    const role = text.trim();
    if (role && !value.includes(role)) onChange([...value, role]);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      add();
    }
  }

  const options = (suggestions.data ?? []).filter((role) => !value.includes(role));
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {value.length > 0 && (
        <ul className="chip-list" aria-label={`${label}: chosen`}>
          {value.map((role) => (
            <li key={role} className="chip chip-removable">
              {role}
              <button
                type="button"
                className="chip-remove"
                onClick={() => onChange(value.filter((r) => r !== role))}
              >
                <Icon name="close" />
                <span className="visually-hidden">
                  Remove {role} from {label.toLowerCase()}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="input-with-button">
        <input
          id={id}
          className="input"
          list={`${id}-suggestions`}
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        />
        <button
          type="button"
          className="button button-secondary"
          onClick={add}
          disabled={!text.trim()}
        >
          Add<span className="visually-hidden"> to {label.toLowerCase()}</span>
        </button>
      </div>
      <datalist id={`${id}-suggestions`}>
        {options.map((role) => (
          <option key={role} value={role} />
        ))}
      </datalist>
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
