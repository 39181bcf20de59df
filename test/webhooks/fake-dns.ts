import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

const TYPE_A = 1;
const TYPE_AAAA = 28;

export interface Records {
  a?: string[];
  aaaa?: string[];
}

/** The 16 bytes of an IPv6 address written in full or with one `::`. */
function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const missing = 8 - groups(head).length - groups(tail ?? '').length;
  const all = [...groups(head), ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...groups(tail ?? '')];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/**
 * A real DNS server on 127.0.0.1 (UDP) answering A and AAAA questions from a table: unknown names get
 * NXDOMAIN. With `silent` it reads every question and never answers, like a stalled name server.
 */
export class FakeDns {
  readonly questions: Array<{ name: string; type: number }> = [];
  private readonly socket = dgram.createSocket('udp4');

  private constructor(
    private readonly records: Record<string, Records>,
    private readonly silent: boolean,
  ) {
    this.socket.on('message', (message, peer) => this.answer(message, peer));
  }

  static async start(records: Record<string, Records>, options: { silent?: boolean } = {}): Promise<FakeDns> {
    const dns = new FakeDns(records, options.silent ?? false);
    await new Promise<void>((resolve) => dns.socket.bind(0, '127.0.0.1', resolve));
    return dns;
  }

  /** `host:port`, for dns.Resolver#setServers. */
  get server(): string {
    const { address, port } = this.socket.address() as AddressInfo;
    return `${address}:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(message: Buffer, peer: dgram.RemoteInfo): void {
    const labels: string[] = [];
    let offset = 12;
    for (let length = message[offset] ?? 0; length > 0; length = message[offset] ?? 0) {
      labels.push(message.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += 1 + length;
    }
    const questionEnd = offset + 5;
    const type = message.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    this.questions.push({ name, type });
    if (this.silent) return;
    const known = this.records[name];
    const addresses = (type === TYPE_A ? known?.a : type === TYPE_AAAA ? known?.aaaa : undefined) ?? [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(message.readUInt16BE(0), 0);
    header.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // a response, recursion available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((address) => {
      const data = type === TYPE_A ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4); // class IN
      record.writeUInt32BE(60, 6);
      record.writeUInt16BE(data.length, 10);
      return Buffer.concat([record, data]);
    });
    this.socket.send(Buffer.concat([header, message.subarray(12, questionEnd), ...answers]), peer.port, peer.address);
  }
}
