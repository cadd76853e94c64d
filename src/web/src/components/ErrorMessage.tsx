import { ApiError } from '../api/client';

/** A failure shown to a person, with the request id for support when the server gave one. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : '';
  return (
    <div className="alert alert-error" role="alert">
      {message}
      {requestId && <span className="request-id"> (request {requestId})</span>}
    </div>
  );
}
