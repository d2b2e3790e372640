// A boxed note inside a page: information, success, warning or danger.
import { type ReactNode, useEffect, useRef } from "react";
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
  /**
   * Takes focus when it appears: the confirmation that replaces the button just pressed, so
   * focus is not left on <body>.
   */
  focusOnMount?: boolean;
}

export function Callout({ tone = "info", title, children, role, focusOnMount }: CalloutProps) {
  const box = useRef<HTMLDivElement>(null);
  // Only on mount: a confirmation already shown does not take focus again when it re-renders.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only, on purpose
  useEffect(() => {
    if (focusOnMount) box.current?.focus();
  }, []);
  return (
    <div
      ref={box}
      className={`alert alert-${tone}`}
      role={role}
      tabIndex={focusOnMount ? -1 : undefined}
    >
      <Icon name={icons[tone]} className="alert-icon" />
      <div className="alert-body">
        {title && <p className="alert-title">{title}</p>}
        {children}
      </div>
    </div>
  );
}
