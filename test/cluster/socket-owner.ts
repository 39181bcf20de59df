import fs from 'node:fs';
import type { Socket } from 'node:net';

/** The inode of the client end of `socket` (an accepted IPv4 connection on this machine), from /proc/net/tcp. */
function clientInode(socket: Socket): string | null {
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, remote, inode] = [fields[1], fields[2], fields[9]];
    if (!local || !remote || !inode) continue;
    const port = (address: string) => Number.parseInt(address.split(':')[1] ?? '', 16);
    // The client's end: its local port is the accepted socket's remote port, and the other way round.
    if (port(local) === socket.remotePort && port(remote) === socket.localPort) return inode;
  }
  return null;
}

/**
 * Which of `pids` holds the other end of `socket`, a connection accepted on 127.0.0.1 from a process of
 * this machine; null when none does (or the connection is already gone). Reads /proc: Linux only.
 */
export function connectingProcess(socket: Socket, pids: readonly number[]): number | null {
  const inode = clientInode(socket);
  if (inode === null) return null;
  const wanted = `socket:[${inode}]`;
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted) return pid;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      // the process ended
    }
  }
  return null;
}
