import type { Server } from 'node:net';

/** Starts a server on a free loopback port. */
export async function listenOnLoopback(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

/** The port a listening server got. */
export function portOf(server: Server): number {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening');
  return address.port;
}
