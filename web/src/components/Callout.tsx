// A boxed note inside a page: information, success, warning or danger.
import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon";

type Tone = "info" | "success" | "warning" | "danger";

const icons: Record<Tone, IconName> = {
  info: "info",
  success: "check",
  warning: "alert",
  danger: "alert",
};

interface CalloutProps {
  tone?: Tone;
  title?: string;
  children?: ReactNode;
  role?: "status" | "alert";
}

export function Callout({ tone = "info", title, children, role }: CalloutProps) {
  return (
    <div className={`alert alert-${tone}`} role={role}>
      <Icon name={icons[tone]} className="alert-icon" />
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        {children}
      </div>
    </div>
  );
}
