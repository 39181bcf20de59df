import { TaskgateError } from '@taskgate/client';

/** What went wrong, in plain words, with the stable code (and request id) for a bug report. */
function describeError(error: unknown): { message: string; code?: string; requestId?: string | null } {
  if (error instanceof TaskgateError) {
    if (error.status === 0 || error.code === 'UNEXPECTED_RESPONSE')
      return { message: 'The server answered unexpectedly. Try again in a moment.', code: `HTTP ${error.status}` };
    return { message: error.message, code: error.code, requestId: error.requestId };
  }
  if (error instanceof Error && error.name === 'TimeoutError') return { message: 'The server took too long to answer. Try again.' };
  if (error instanceof TypeError) return { message: 'The server could not be reached. Check your connection and try again.' };
  return { message: error instanceof Error ? error.message : 'Something went wrong.' };
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const { message, code, requestId } = describeError(error);
  return (
    <div role="alert" className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive-text">
      <p>{message}</p>
      {code && (
        <p className="mt-1 font-mono text-xs opacity-80">
          {code}
          {requestId ? ` · request ${requestId}` : ''}
        </p>
      )}
    </div>
  );
}
