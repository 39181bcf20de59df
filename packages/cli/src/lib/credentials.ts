import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemKeyring, type Keyring } from './keyring.js';

/** What `taskgate auth login` keeps for one server. */
export interface StoredCredential {
  token: string;
  /** session (email/password login) or token (--with-token). */
  via: 'session' | 'token';
  user: string | null;
  savedAt: string;
}

/** In the file, the token is left out when the keyring holds it. */
type HostEntry = Omit<StoredCredential, 'token'> & { token?: string; inKeyring?: boolean };

interface HostsFile {
  current: string | null;
  hosts: Record<string, HostEntry>;
}

/** `$XDG_CONFIG_HOME/taskgate/hosts.json` (default `~/.config/taskgate/hosts.json`). */
function hostsFilePath(env: NodeJS.ProcessEnv = process.env): string {
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
 * Which server was signed in to, and with what: the secret in the OS keyring where there is one
 * (lib/keyring.ts), else in the file, which only its owner can read. The file is written either
 * way, with the secret left out when the keyring holds it.
 */
export class CredentialStore {
  constructor(
    readonly file: string = hostsFilePath(),
    readonly keyring: Keyring | null = systemKeyring(),
  ) {}

  /** Where the secret goes: said once after a sign-in. */
  describe(): string {
    return this.keyring ? `${this.keyring.name} (server list in ${this.file})` : `${this.file} (readable by you only; no OS keyring found)`;
  }

  current(): { url: string; credential: StoredCredential } | null {
    const hosts = read(this.file);
    const entry = hosts.current ? hosts.hosts[hosts.current] : undefined;
    if (!hosts.current || !entry) return null;
    const token = entry.inKeyring ? this.keyring?.get(hosts.current) : entry.token;
    if (!token) return null;
    const { inKeyring: _, ...rest } = entry;
    return { url: hosts.current, credential: { ...rest, token } };
  }

  save(url: string, credential: StoredCredential): void {
    const hosts = read(this.file);
    let entry: HostEntry = credential;
    if (this.keyring) {
      this.keyring.set(url, credential.token);
      const { token: _, ...rest } = credential;
      entry = { ...rest, inKeyring: true };
    }
    write(this.file, { current: url, hosts: { ...hosts.hosts, [url]: entry } });
  }

  forget(url: string): void {
    const hosts = read(this.file);
    if (hosts.hosts[url]?.inKeyring) this.keyring?.delete(url);
    const { [url]: _, ...rest } = hosts.hosts;
    write(this.file, { current: hosts.current === url ? (Object.keys(rest)[0] ?? null) : hosts.current, hosts: rest });
  }
}
