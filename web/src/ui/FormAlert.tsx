// The live region at the top of a form: screen readers announce a failed submit at once.

import { errorMessage } from "./forms";
import { ApiError } from "./http";

export function FormAlert({ error, title }: { error: unknown; title?: string }) {
  // A request ID helps support trace a server fault; for a plain validation error it is noise.
  const requestId =
    error instanceof ApiError && (error.status >= 500 || error.status === 0)
      ? error.requestId
      : undefined;
  return (
    <div className="form-alert-region" aria-live="assertive" aria-atomic="true">
      {error ? (
        <div className="alert alert-danger">
          <div className="alert-body">
            {title && <p className="alert-title">{title}</p>}
            <p>{errorMessage(error)}</p>
            {requestId && <p className="alert-meta">Request ID: {requestId}</p>}
          </div>
        </div>
      ) : null}
    </div>
  );
}
