import { TaskgateError } from '@taskgate/client';
import { CliError, EXIT } from './exit-codes.js';
import { red } from './output.js';

/** One line in plain words with the API's code, and the exit code it ends with. */
function explain(error: unknown): { message: string; code: number } {
  if (error instanceof CliError) return { message: error.message, code: error.code };
  if (error instanceof TaskgateError) {
    const code = `(${error.code})`;
    if (error.status === 401)
      return { message: `${error.message} ${code}: sign in again with \`taskgate auth login\``, code: EXIT.notAuthenticated };
    if (error.status === 403 && error.missingPermission) {
      const layer = error.refusedBy ? ` (refused by ${error.refusedBy}: see \`taskgate auth permissions\`)` : '';
      return { message: `${error.message} ${code}: this needs the ${error.missingPermission} permission${layer}`, code: EXIT.error };
    }
    if (error.status === 429) return { message: `Rate limited ${code}: retry in ${error.retryAfter ?? 60} seconds`, code: EXIT.error };
    if (error.status === 400 && error.fields.length > 0) {
      return { message: `${error.fields.map((f) => `${f.field} ${f.message}`).join('; ')} ${code}`, code: EXIT.error };
    }
    return { message: `${error.message} ${code}`, code: EXIT.error };
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { message: 'The server did not answer in time', code: EXIT.error };
  if (error instanceof TypeError && /fetch failed/.test(error.message)) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { message: `Could not reach the server${cause ? ` (${cause})` : ''}: is it running, and is the URL right?`, code: EXIT.error };
  }
  return { message: error instanceof Error ? error.message : String(error), code: EXIT.error };
}

export function report(error: unknown): number {
  const { message, code } = explain(error);
  process.stderr.write(`${red('taskgate:')} ${message}\n`);
  return code;
}
