import { globMatcher } from './glob.ts';
import type { ConnectionRecord } from './sample.ts';

export interface WorkloadIdentity {
  key: string;
  podIps: ReadonlySet<string>;
  /** Glob over the driver's user agent, used when the client IP matches no pod. */
  userAgent?: string;
}

export interface Attribution {
  byWorkload: Map<string, ConnectionRecord[]>;
  unattributed: ConnectionRecord[];
}

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/;
const BRACKETED_WITH_PORT = /^\[([^\]]+)\]:\d+$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;

/** The IP of "ip:port" or "[ipv6]:port"; undefined for any other form. */
export function clientIp(clientAddress: string): string | undefined {
  const v4 = IPV4_WITH_PORT.exec(clientAddress);
  if (v4) return v4[1];
  const bracketed = BRACKETED_WITH_PORT.exec(clientAddress);
  if (!bracketed?.[1]) return undefined;
  const ip = bracketed[1].toLowerCase();
  // A dual-stack server reports IPv4 clients as ::ffff:a.b.c.d; pods carry the plain IPv4.
  return IPV4_MAPPED.exec(ip)?.[1] ?? ip;
}

/** Each connection to the first workload owning its client IP, else the first whose user agent glob matches. */
export function attribute(connections: readonly ConnectionRecord[], workloads: readonly WorkloadIdentity[]): Attribution {
  const byWorkload = new Map<string, ConnectionRecord[]>(workloads.map((w) => [w.key, []]));
  const unattributed: ConnectionRecord[] = [];
  const matchers = workloads.map((w) => (w.userAgent === undefined ? undefined : globMatcher(w.userAgent)));
  for (const connection of connections) {
    const ip = clientIp(connection.clientAddress);
    let owner = ip === undefined ? undefined : workloads.find((w) => w.podIps.has(ip));
    owner ??= workloads.find((_, i) => matchers[i]?.(connection.userAgent) === true);
    if (owner === undefined) unattributed.push(connection);
    else byWorkload.get(owner.key)?.push(connection);
  }
  return { byWorkload, unattributed };
}
