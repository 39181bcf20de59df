import { TaskgateError } from '@taskgate/client';

/**
 * Puts a 400's field errors (`allowedIps.3`, `name`…) on the form fields they belong to; `fields` maps an
 * answer's top-level field to the form's. Answers whether any was placed (the rest stays a general error).
 */
export function placeFieldErrors<Name extends string>(
  error: unknown,
  fields: Partial<Record<string, Name>>,
  setError: (name: Name, error: { type: string; message: string }) => void,
): boolean {
  if (!(error instanceof TaskgateError)) return false;
  let placed = false;
  for (const { field, message } of error.fields) {
    const name = fields[field.replace(/^\//, '').split(/[./]/)[0] ?? ''];
    if (name === undefined) continue;
    setError(name, { type: 'server', message: message.charAt(0).toUpperCase() + message.slice(1) });
    placed = true;
  }
  return placed;
}
