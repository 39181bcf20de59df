import { execFileSync } from 'node:child_process';
import { ROOT } from '../helpers/server-process.js';

/** Builds packages/client/dist from the current source: tests of the package as published use it. */
export function buildClientPackage(): void {
  execFileSync('npm', ['run', '--silent', 'build', '--workspace', '@taskgate/client'], { cwd: ROOT, stdio: 'pipe' });
}
