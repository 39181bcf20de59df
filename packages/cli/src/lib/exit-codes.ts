/** The documented exit codes (README, "The taskgate command line"). */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notAuthenticated: 4,
} as const;

/** A failure the CLI explains in one line and ends with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.error,
  ) {
    super(message);
  }
}
