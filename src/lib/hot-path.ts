/**
 * The hot-path tricks Taskgate keeps, in one place (issue 19). Each one is here because `npm run bench:ab`
 * (bench/ab.ts) measured it on and off in the same run, in interleaved rounds, and it paid more than the
 * run-to-run spread of the same scenario. Its figures are in bench/RESULTS.md.
 *
 * Rules, for every entry:
 * - Production code reads a setting; it never writes one. Every setting is `true` in production.
 * - Only a bench flips a setting, and only before the app is built (bench/ab-server.ts): a setting is read
 *   where the trick is applied, so flipping it later would mix both behaviours in one process.
 * - Both sides of a setting give the same answers (bodies, headers, statuses): the tests cover the `true`
 *   side, the `false` side is the plain code the trick replaces.
 * - A new trick gets an entry here and a scenario in bench/ab.ts, and stays only if the A/B shows a gain
 *   beyond noise. A trick that stops paying is deleted, with its entry. Deleted for that so far (figures in
 *   bench/RESULTS.md): pre-serialised error envelopes, the hand-written CRC-32 of the token checksum, and
 *   request budgets held on AppContext beside the limiter's own.
 */
export interface HotPathSettings {
  /**
   * SQLite point reads answered from memory while the database is unchanged (ADR 0001, db/database.ts).
   * Off: every read asks SQLite (statements still prepared once), and no answer is kept.
   */
  sqliteReadCache: boolean;
  /** `GET /me` of a personal token built once per set of shared rows, its JSON kept with it (users/me.ts). */
  keptMeAnswer: boolean;
  /** A single task's view kept while its task, assignee and label rows are the same shared rows (tasks/task-views.ts). */
  keptTaskView: boolean;
  /**
   * AppError built with `Error.stackTraceLimit = 0` (errors/app-error.ts): a domain error is an expected
   * answer (a 404, a 403), and capturing a stack costs more than the rest of building it.
   */
  errorsWithoutStack: boolean;
}

export const hotPath: HotPathSettings = {
  sqliteReadCache: true,
  keptMeAnswer: true,
  keptTaskView: true,
  errorsWithoutStack: true,
};

/** For bench/ab-server.ts only: turns tricks off before the app is built. */
export function setHotPath(changes: Partial<HotPathSettings>): void {
  Object.assign(hotPath, changes);
}
