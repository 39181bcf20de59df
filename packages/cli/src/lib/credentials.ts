import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `taskgate auth login` keeps for one server. */
export interface StoredCredential {
  token: string;
  /** session (email/password login) or token (--with-token). */
  via: 'session' | 'token';
  user: string | null;
  savedAt: string;
}

interface HostsFile {
  current: string | null;
  hosts: Record<string, StoredCredential>;
}

/** `$XDG_CONFIG_HOME/taskgate/hosts.json` (default `~/.config/taskgate/hosts.json`). */
export function hostsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'taskgate', 'hosts.json');
}

function read(file: string): HostsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<HostsFile>;
    return { current: typeof parsed.current === 'string' ? parsed.current : null, hosts: parsed.hosts ?? {} };
  } catch {
    return { current: null, hosts: {} };
  }
}

/** Written whole to a temporary file (mode 0600 from the start), then renamed over the old one. */
function write(file: string, hosts: HostsFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(hosts, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  fs.chmodSync(file, 0o600);
}

/**
 * Credentials in a file only its owner can read. (No OS keyring is used: see the README for why
 * and for the environment variables that keep a token out of any file.)
 */
export class CredentialStore {
  constructor(readonly file: string = hostsFilePath()) {}

  current(): { url: string; credential: StoredCredential } | null {
    const hosts = read(this.file);
    const credential = hosts.current ? hosts.hosts[hosts.current] : undefined;
    return hosts.current && credential ? { url: hosts.current, credential } : null;
  }

  save(url: string, credential: StoredCredential): void {
    const hosts = read(this.file);
    write(this.file, { current: url, hosts: { ...hosts.hosts, [url]: credential } });
  }

  forget(url: string): void {
    const hosts = read(this.file);
    const { [url]: _, ...rest } = hosts.hosts;
    write(this.file, { current: hosts.current === url ? (Object.keys(rest)[0] ?? null) : hosts.current, hosts: rest });
  }
}
