/**
 * A refusal of the call layer with a stable code and the HTTP status it maps to, so the API answers it in the
 * one error shape (e.g. 409 carrier_not_configured) without the call layer knowing about HTTP.
 */
export class CallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'CallError';
  }
}

export const callNotFound = () => new CallError(404, 'not_found', 'call not found');
