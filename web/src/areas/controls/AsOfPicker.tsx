// Choosing the day to view a control as of: the status it had at the end of that (UTC) day.
import { type FormEvent, useState } from "react";
import { TextField } from "../../ui/Field";
import { utcDay } from "../../ui/format";

interface AsOfPickerProps {
  asOf: string;
  onChange: (day: string) => void;
}

export function AsOfPicker({ asOf, onChange }: AsOfPickerProps) {
  const [day, setDay] = useState(asOf);
  const today = utcDay();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange(day >= today ? "" : day);
  }

  return (
    <form className="form" onSubmit={onSubmit}>
      <TextField
        label="View this control as of"
        type="date"
        name="asOf"
        max={today}
        value={day}
        onChange={(e) => setDay(e.target.value)}
        hint="Evaluated from the data as it stood at the end of that day (UTC)."
      />
      <div className="form-actions">
        <button type="submit" className="button button-secondary" disabled={!day}>
          View as of this date
        </button>
        {asOf && (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setDay("");
              onChange("");
            }}
          >
            Back to today
          </button>
        )}
      </div>
    </form>
  );
}
