// Whether dist/ (the server compiled by `npm run build`, which `npm install` runs) is current: built after
// the newest file in src/. Only then may the server commands run it without a TypeScript loader.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written last by the build: its time is the build's. */
const BUILD_STAMP = path.join(ROOT, 'dist/.build-stamp');

function newestChange(folder) {
  let newest = statSync(folder).mtimeMs;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built from the src/ on disk; false when it is missing or older than a source file. */
export function serverBuildIsCurrent() {
  let built;
  try {
    built = statSync(BUILD_STAMP).mtimeMs;
  } catch {
    return false;
  }
  return built >= newestChange(path.join(ROOT, 'src'));
}
