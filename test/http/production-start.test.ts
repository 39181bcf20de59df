import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serverBuildIsCurrent } from '../../bin/server-build.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { ROOT, startServerProcess } from '../helpers/server-process.js';

const cleanups = cleanupsAfterEach('taskgate-dist-');

/** The compiled modules, to show that none of them loads a TypeScript loader. */
function compiledModules(folder = path.join(ROOT, 'dist')): string[] {
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
}

beforeAll(() => {
  // `npm test` builds dist/ in its global setup; a quick run that skipped the builds builds it here.
  if (!serverBuildIsCurrent()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);

describe('the production build (npm run build, then node dist/server.js)', () => {
  it('holds plain JavaScript and the files the server reads at run time, and imports no tsx', () => {
    const modules = compiledModules();
    expect(modules).toContain('server.js');
    expect(modules.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, 'dist/users/common-passwords.txt'))).toBe(true);
    const loadsTsx = modules.filter((file) =>
      /(from\s+|import\()\s*['"]tsx[/'"]/.test(fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8')),
    );
    expect(loadsTsx).toEqual([]);
  });

  for (const dialect of enabledDialects()) {
    it(`starts with no loader and answers /readyz on ${dialect}`, async () => {
      const schema = freshSchemaName();
      if (dialect === 'postgres') cleanups.push(() => dropSchema(schema));
      const server = await startServerProcess(dialectEnv(dialect, cleanups.tempDir(), schema), 30_000, true);
      cleanups.push(async () => void (await server.stop('SIGKILL')));

      const commandLine = fs.readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(commandLine.slice(1)).toEqual(['dist/server.js']);
      const environment = fs.readFileSync(`/proc/${server.child.pid}/environ`, 'utf8');
      expect(environment).not.toMatch(/NODE_OPTIONS=[^\0]*tsx/);

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', database: 'up' });
      // The web UI is found from dist/ as from src/ (a path resolved from import.meta.url).
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    });
  }
});
