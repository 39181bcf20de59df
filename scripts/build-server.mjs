#!/usr/bin/env node
// `npm run build`: the server compiled to dist/ so production runs `node dist/server.js` with no TypeScript
// loader. Starts from an empty dist/ (no module of a deleted source file survives), copies what the server
// reads at run time besides its code (e.g. users/common-passwords.txt, found through import.meta.url), and
// stamps the build last so bin/taskgate.js can tell a current dist/ from a stale one.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
cpSync(path.join(ROOT, 'src'), path.join(ROOT, 'dist'), { recursive: true, filter: (source) => !source.endsWith('.ts') });
writeFileSync(path.join(ROOT, 'dist/.build-stamp'), `${new Date().toISOString()}\n`);
