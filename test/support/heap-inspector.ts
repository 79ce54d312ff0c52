import { readFileSync } from 'node:fs';

/**
 * NODE_OPTIONS that open a Node process's inspector on a free loopback port: a test can then force a full
 * garbage collection in it and read its live heap, with no hook in the product code.
 */
export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

/** The inspector's WebSocket address, from the "Debugger listening on ws://…" line Node prints to stderr. */
export function inspectorUrl(stderr: readonly string[]): string {
  for (const line of stderr) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (match) return match[1]!;
  }
  throw new Error(`no inspector address on stderr (was the process started with ${INSPECT_OPTION}?)`);
}

export interface HeapFigures {
  /** Bytes of live JS objects right after a full collection. */
  usedBytes: number;
  /** Bytes V8 holds for the JS heap. */
  totalBytes: number;
}

/** Forces a full collection in the inspected process, then reads its heap (Chrome DevTools Protocol). */
export async function heapAfterGc(url: string, timeoutMs = 30_000): Promise<HeapFigures> {
  const socket = new WebSocket(url);
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  const call = <T>(method: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method }));
    });
  const timer = setTimeout(() => socket.close(), timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to the inspector at ${url}`)), { once: true });
    });
    socket.addEventListener('close', () => {
      for (const waiter of pending.values()) waiter.reject(new Error('the inspector closed the session'));
    });
    await call('HeapProfiler.collectGarbage');
    const usage = await call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

/** A process's resident set size in bytes (VmRSS of /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
