import { createServer, type Server, type Socket } from 'node:net';

/**
 * A PostgreSQL server that only says who it is: it speaks the protocol's start (an SSL request is
 * refused, any user is let in without a password), answers the first query with one row of
 * (server_version_num, server_version) as the given version, and every later one with an error. What an old server looks like to a
 * client, where Debian has no PostgreSQL 12 to start. With `refuse`, every connection gets that FATAL error instead.
 */
export async function fakePostgres(
  version: { num: number; name: string },
  options: { refuse?: { code: string; message: string } } = {},
): Promise<{ port: number; close(): Promise<void> } & AsyncDisposable> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    let asked = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103) {
            socket.write('N');
            continue;
          }
          // refuse: the server's FATAL answer to a new connection (starting up, out of slots), then it hangs up.
          if (options.refuse) return void socket.end(message('E', Buffer.concat([cstring('SFATAL'), cstring(`C${options.refuse.code}`), cstring(`M${options.refuse.message}`), Buffer.from([0])])));
          started = true;
          socket.write(Buffer.concat([message('R', int32(0)), message('K', Buffer.concat([int32(4242), int32(1)])), ready()]));
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        buffer = buffer.subarray(1 + length);
        if (type === 'X') return void socket.end();
        if (type === 'Q' && !asked) {
          asked = true;
          socket.write(Buffer.concat([rowDescription(), dataRow([String(version.num), version.name]), message('C', cstring('SELECT 1')), ready()]));
        } else if (type === 'Q' || type === 'S') {
          // Anything after that question: an error (the extended protocol's answer comes at its Sync).
          socket.write(Buffer.concat([message('E', Buffer.concat([cstring('SERROR'), cstring('CXX000'), cstring('Mthis fake server answers one question only'), Buffer.from([0])])), ready()]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, close, [Symbol.asyncDispose]: close };
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (s: string) => Buffer.from(`${s}\0`);
const message = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
const ready = () => message('Z', Buffer.from('I'));

/** Two columns: version (int4, oid 23) and name (text, oid 25), in text format. */
function rowDescription(): Buffer {
  const field = (name: string, oid: number) => Buffer.concat([cstring(name), int32(0), int16(0), int32(oid), int16(-1), int32(-1), int16(0)]);
  return message('T', Buffer.concat([int16(2), field('version', 23), field('name', 25)]));
}

function dataRow(values: string[]): Buffer {
  return message('D', Buffer.concat([int16(values.length), ...values.flatMap((v) => [int32(Buffer.byteLength(v)), Buffer.from(v)])]));
}
