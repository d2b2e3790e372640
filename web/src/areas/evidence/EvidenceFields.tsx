// The fields an evidence file and an evidence link share: title, description, dates, test.

import { SelectField, TextAreaField, TextField } from "../../ui/Field";
import { addDaysToDay, utcDay } from "../../ui/format";
import type { Control } from "../../ui/schema";

export interface EvidenceValues {
  title: string;
  description: string;
  evidenceDate: string;
  validUntil: string;
  testKey: string;
}

export function emptyEvidence(): EvidenceValues {
  return { title: "", description: "", evidenceDate: utcDay(), validUntil: "", testKey: "" };
}

interface EvidenceFieldsProps {
  control: Control;
  values: EvidenceValues;
  onChange: (values: EvidenceValues) => void;
  errors: Record<string, string>;
}

export function EvidenceFields({ control, values, onChange, errors }: EvidenceFieldsProps) {
  const set = (name: keyof EvidenceValues) => (value: string) =>
    onChange({ ...values, [name]: value });
  return (
    <>
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={values.title}
        onChange={(e) => set("title")(e.target.value)}
        error={errors.title}
      />
      <TextAreaField
        label="Description (optional)"
        name="description"
        maxLength={5000}
        rows={3}
        value={values.description}
        onChange={(e) => set("description")(e.target.value)}
        error={errors.description}
      />
      <div className="field-row">
        <TextField
          label="Evidence date"
          name="evidenceDate"
          type="date"
          required
          max={utcDay()}
          value={values.evidenceDate}
          onChange={(e) => set("evidenceDate")(e.target.value)}
          hint="The day the evidence is from."
          error={errors.evidenceDate}
        />
        <TextField
          label="Valid until (optional)"
          name="validUntil"
          type="date"
          min={values.evidenceDate ? addDaysToDay(values.evidenceDate, 1) : undefined}
          value={values.validUntil}
          onChange={(e) => set("validUntil")(e.target.value)}
          hint="Leave empty for the default evidence period."
          error={errors.validUntil}
        />
      </div>
      <SelectField
        label="Test (optional)"
        name="testKey"
        value={values.testKey}
        onChange={(e) => set("testKey")(e.target.value)}
        error={errors.testKey}
      >
        <option value="">The control as a whole</option>
        {control.tests.map((test) => (
          <option key={test.key} value={test.key}>
            {test.key}
          </option>
        ))}
      </SelectField>
    </>
  );
}

/** The fields as the API takes them: empty optional fields are left out. */
export function evidenceInput(controlKey: string, values: EvidenceValues) {
  return {
    controlKey,
    title: values.title.trim(),
    evidenceDate: values.evidenceDate,
    ...(values.testKey ? { testKey: values.testKey } : {}),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    ...(values.validUntil ? { validUntil: values.validUntil } : {}),
  };
}
