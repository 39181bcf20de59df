#!/usr/bin/env node
// One `taskgate` binary. Server commands (they open the database) run the compiled server in dist/ when it
// is current, else its TypeScript through tsx (a checkout whose src/ changed since the last build);
// every other command is the compiled client CLI (packages/cli, built by `npm install`), which loads no
// database driver and no TypeScript compiler, so it starts fast.
const SERVER_COMMANDS = new Set(['admin', 'demo', 'backup', 'restore']);

const [first] = process.argv.slice(2);
if (first !== undefined && SERVER_COMMANDS.has(first)) {
  const { serverBuildIsCurrent } = await import('./server-build.js');
  if (serverBuildIsCurrent()) {
    await import('../dist/cli/main.js');
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/main.ts');
  }
} else {
  const { run } = await import('../packages/cli/dist/main.js');
  process.exitCode = await run(process.argv.slice(2));
}
