// Role and access-expiry fields shared by the invite and edit user dialogs.

import { SelectField, TextField } from "../../ui/Field";
import { ROLES } from "../../ui/format";
import type { Role } from "../../ui/schema";
import { useSession } from "../../ui/session";

interface RoleFieldsProps {
  role: Role;
  onRoleChange: (role: Role) => void;
  expires: string;
  onExpiresChange: (date: string) => void;
  errors: Record<string, string>;
  minDate?: string;
}

export function RoleFields({
  role,
  onRoleChange,
  expires,
  onExpiresChange,
  errors,
  minDate,
}: RoleFieldsProps) {
  const { user } = useSession();
  // Only an owner can make someone else an owner.
  const roles = ROLES.filter(
    (r) => r.value !== "owner" || user.role === "owner" || role === "owner",
  );
  const description = ROLES.find((r) => r.value === role)?.description;
  const isAuditor = role === "auditor";
  return (
    <>
      <SelectField
        label="Role"
        name="role"
        value={role}
        onChange={(e) => onRoleChange(e.target.value as Role)}
        hint={description}
        error={errors.role}
      >
        {roles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}
          </option>
        ))}
      </SelectField>
      <TextField
        label={isAuditor ? "Access expires on" : "Access expires on (optional)"}
        name="accessExpiresAt"
        type="date"
        min={minDate}
        value={expires}
        onChange={(e) => onExpiresChange(e.target.value)}
        required={isAuditor}
        hint={
          isAuditor
            ? "Auditors get time-boxed access: choose the last day of the audit engagement."
            : "Access ends at the end of this day. Leave empty for no end date."
        }
        error={errors.accessExpiresAt}
      />
    </>
  );
}
