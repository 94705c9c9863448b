import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to 127.0.0.1:`target` that a test can take down and bring back on the same port:
 * down() ends every relayed connection and stops listening (a new connection is refused, as from
 * a database server that has stopped), up() listens again. What a server restart looks like to a
 * client, without stopping the cluster other tests share.
 */
export async function tcpProxy(target: number): Promise<{ port: number; down(): Promise<void>; up(): Promise<void> } & AsyncDisposable> {
  const sockets = new Set<Socket>();
  const relay = (client: Socket) => {
    const server = connect(target, '127.0.0.1');
    for (const [from, to] of [
      [client, server],
      [server, client],
    ] as const) {
      sockets.add(from);
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => {});
      from.pipe(to);
    }
  };
  let server: Server | undefined;
  let port = 0;
  const up = async () => {
    const listening = createServer(relay);
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', resolve);
    });
    port = (listening.address() as { port: number }).port;
    server = listening;
  };
  const down = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await up();
  return {
    port,
    down,
    up,
    [Symbol.asyncDispose]: down,
  };
}
