// A password input with a "Show password" toggle that keeps the label unchanged.
import { type InputHTMLAttributes, useState } from "react";
import { TextField } from "./Field";

type PasswordFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "id"> & {
  label: string;
  hint?: string;
  error?: string;
};

export function PasswordField(props: PasswordFieldProps) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="password-field">
      <TextField {...props} type={visible ? "text" : "password"} />
      <button
        type="button"
        className="link-button password-toggle"
        aria-pressed={visible}
        onClick={() => setVisible((v) => !v)}
      >
        {visible ? "Hide password" : "Show password"}
      </button>
    </div>
  );
}
