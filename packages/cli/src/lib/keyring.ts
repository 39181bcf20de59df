import { execFileSync } from 'node:child_process';

/** Where a secret can live outside any file: the OS keyring. */
export interface Keyring {
  readonly name: string;
  get(url: string): string | null;
  set(url: string, secret: string): void;
  delete(url: string): void;
}

const ATTRIBUTES = (url: string) => ['service', 'taskgate', 'host', url];

/** The freedesktop Secret Service (GNOME Keyring, KWallet…) through libsecret's `secret-tool`. */
class SecretServiceKeyring implements Keyring {
  readonly name = 'the Secret Service keyring (secret-tool)';

  get(url: string): string | null {
    try {
      const secret = execFileSync('secret-tool', ['lookup', ...ATTRIBUTES(url)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return secret === '' ? null : secret;
    } catch {
      return null;
    }
  }

  set(url: string, secret: string): void {
    execFileSync('secret-tool', ['store', '--label', `Taskgate credential for ${url}`, ...ATTRIBUTES(url)], {
      input: secret,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
  }

  delete(url: string): void {
    try {
      execFileSync('secret-tool', ['clear', ...ATTRIBUTES(url)], { stdio: 'ignore' });
    } catch {
      // Nothing stored: nothing to clear.
    }
  }
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The OS keyring when this machine has one the CLI can use (a D-Bus session with `secret-tool`);
 * null otherwise, or when TASKGATE_NO_KEYRING is set (then credentials go to a 0600 file).
 */
export function systemKeyring(env: NodeJS.ProcessEnv = process.env): Keyring | null {
  if (env.TASKGATE_NO_KEYRING) return null;
  if (process.platform === 'linux' && env.DBUS_SESSION_BUS_ADDRESS && onPath('secret-tool')) return new SecretServiceKeyring();
  return null;
}
