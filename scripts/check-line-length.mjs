#!/usr/bin/env node
// Fails when a source line is longer than 140 characters. Biome's formatter wraps code at that width but
// leaves long strings, comments and template literals alone, so this catches what it cannot.
// Plain JavaScript so `npm run lint` needs no TypeScript loader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 140;
const CHECKED = /^(src|test|bench|scripts|examples|bin|packages\/[^/]+\/src|web\/src)\/.*\.(ts|tsx|js|mjs|css)$/;
const GENERATED = /^packages\/client\/src\/generated\//;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => CHECKED.test(file) && !GENERATED.test(file));

let found = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, index) => {
    if (line.length <= MAX) return;
    found += 1;
    console.log(`${file}:${index + 1}: ${line.length} characters`);
  });
}
if (found > 0) {
  console.log(`${found} lines are longer than ${MAX} characters`);
  process.exitCode = 1;
}
