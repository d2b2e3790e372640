// Loading and failed-load states, announced to assistive technology.
import { errorMessage } from "./forms";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function PageLoading({ label = "Loading" }: { label?: string }) {
  return (
    <div className="page-loading">
      <Spinner label={label} />
    </div>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="alert alert-danger" role="alert">
      <div className="alert-body">
        <p className="alert-title">This could not be loaded</p>
        <p>{errorMessage(error)}</p>
        {onRetry && (
          <button type="button" className="button button-secondary button-small" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
