import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { ROOT } from '../helpers/server-process.js';
import { cliHome } from './run.js';

function installed(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// A real Secret Service (GNOME Keyring in its own D-Bus session); CI installs it (.ci/run).
const keyringAvailable = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].every(installed) || process.env.CI === 'true';

/** Runs a shell script in a fresh D-Bus session with an unlocked keyring; the CLI is `$TG`. */
function inKeyringSession(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    'dbus-run-session',
    ['--', 'sh', '-c', `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n${script}`],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TG: `${process.execPath} ${path.join(ROOT, 'bin/taskgate.js')}`, NO_COLOR: '1', ...env },
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describeWithServer('taskgate keeps its credential in the OS keyring where there is one', (server) => {
  it.skipIf(!keyringAvailable)(
    'stores the token in the Secret Service, not in hosts.json, reads it back, and clears it on logout',
    async () => {
      const { user } = await userWithProject(server().url);
      const home = cliHome();
      const env = {
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        EMAIL: user.email,
        PASSWORD: user.password,
        URL: server().url,
      };
      const file = path.join(home, '.config/taskgate/hosts.json');
      const run = await inKeyringSession(
        `
      printf '%s\\n%s\\n' "$EMAIL" "$PASSWORD" | $TG auth login --url "$URL" || exit 10
      cp "${file}" "${file}.after-login"
      $TG auth status --json > "${home}/status.json" || exit 11
      secret-tool lookup service taskgate host "$URL" > "${home}/secret" || exit 12
      $TG auth logout || exit 13
      secret-tool lookup service taskgate host "$URL" && exit 14
      $TG auth status; echo "status after logout: $?"
    `,
        env,
      );
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('Credentials saved to the Secret Service keyring');
      const afterLogin = JSON.parse(fs.readFileSync(`${file}.after-login`, 'utf8'));
      expect(afterLogin.hosts[server().url]).toMatchObject({ inKeyring: true, user: user.email });
      expect(afterLogin.hosts[server().url].token).toBeUndefined();
      expect(fs.readFileSync(`${file}.after-login`, 'utf8')).not.toContain('tgs_');
      expect(fs.readFileSync(path.join(home, 'secret'), 'utf8')).toMatch(/^tgs_/);
      expect(JSON.parse(fs.readFileSync(path.join(home, 'status.json'), 'utf8'))).toMatchObject({ email: user.email, source: 'stored' });
      expect(run.output).toContain('status after logout: 4');
    },
  );
});
