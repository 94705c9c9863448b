// FastCGI 1.0, the responder role (https://fastcgi-archives.github.io/FastCGI_Specification.html):
// runfcgi's protocol. Written here rather than taken from npm: node-fastcgi 2.0 (the candidate)
// builds on Node's private http internals and fails under our runtime ("Cannot remove headers after they are
// sent"), and the parser under it, fastcgi-stream 1.0, throws out of its socket handler on a record
// type it does not know. The protocol is small: 8-byte record headers, name-value pairs, and a
// CGI-style response on STDOUT. Everything a client sends is bounded and checked.
import type { Server, Socket } from 'node:net';

export const VERSION = 1;
export const RecordType = { BeginRequest: 1, AbortRequest: 2, EndRequest: 3, Params: 4, Stdin: 5, Stdout: 6, Stderr: 7, Data: 8, GetValues: 9, GetValuesResult: 10, UnknownType: 11 } as const;
export const ROLE_RESPONDER = 1;
const KEEP_CONN = 1;
export const ProtocolStatus = { RequestComplete: 0, CantMultiplex: 1, Overloaded: 2, UnknownRole: 3 } as const;
/** The most content one record holds; a multiple of 8, so full records need no padding. */
const MAX_CONTENT = 65528;

export interface FastcgiRecord {
  type: number;
  id: number;
  content: Uint8Array;
}

/** One record: header, content, padding to a multiple of 8. */
export function encodeRecord(type: number, id: number, content: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (content.length > 0xffff) throw new RangeError('FastCGI record content over 65535 bytes');
  const padding = (8 - (content.length % 8)) % 8;
  const record = new Uint8Array(8 + content.length + padding);
  record.set([VERSION, type, id >> 8, id & 0xff, content.length >> 8, content.length & 0xff, padding, 0]);
  record.set(content, 8);
  return record;
}

const encoder = new TextEncoder();
const lengthBytes = (n: number) => (n < 128 ? [n] : [((n >>> 24) & 0x7f) | 0x80, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);

/** Name-value pairs as PARAMS and GET_VALUES carry them. */
export function encodePairs(pairs: Iterable<readonly [string, string]>): Uint8Array {
  const parts: number[] = [];
  for (const [name, value] of pairs) {
    const n = encoder.encode(name);
    const v = encoder.encode(value);
    parts.push(...lengthBytes(n.length), ...lengthBytes(v.length), ...n, ...v);
  }
  return Uint8Array.from(parts);
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/**
 * The name-value pairs of a PARAMS stream; null when a length runs past the end. Names are ASCII;
 * values are read as UTF-8 where they are (nginx passes the request line's bytes), else as Latin-1.
 */
export function decodePairs(bytes: Uint8Array): [string, string][] | null {
  const pairs: [string, string][] = [];
  let at = 0;
  const length = (): number | null => {
    if (at >= bytes.length) return null;
    if (bytes[at]! < 128) return bytes[at++]!;
    if (at + 4 > bytes.length) return null;
    const n = ((bytes[at]! & 0x7f) << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    at += 4;
    return n;
  };
  while (at < bytes.length) {
    const n = length();
    const v = length();
    if (n === null || v === null || at + n + v > bytes.length) return null;
    const name = latin1.decode(bytes.subarray(at, at + n));
    const raw = bytes.subarray(at + n, at + n + v);
    let value: string;
    try {
      value = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      value = latin1.decode(raw);
    }
    pairs.push([name, value]);
    at += n + v;
  }
  return pairs;
}

export class ProtocolError extends Error {}

/** Cuts a byte stream into records; at most one record (64 KiB + 263 bytes) is ever held. */
export class RecordReader {
  private buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): FastcgiRecord[] {
    this.buffer = this.buffer.length === 0 ? chunk : concat([this.buffer, chunk]);
    const records: FastcgiRecord[] = [];
    for (;;) {
      const b = this.buffer;
      if (b.length < 8) break;
      if (b[0] !== VERSION) throw new ProtocolError(`unknown FastCGI version ${b[0]}`);
      const length = (b[4]! << 8) | b[5]!;
      const end = 8 + length + b[6]!;
      if (b.length < end) break;
      records.push({ type: b[1]!, id: (b[2]! << 8) | b[3]!, content: b.slice(8, 8 + length) });
      this.buffer = b.subarray(end);
    }
    if (this.buffer.length > 0 && records.length > 0) this.buffer = this.buffer.slice();
    return records;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The reason phrases a CGI Status line carries (nginx passes them on). */
const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Content Too Large', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export class BadRequest extends Error {}

/**
 * The Request a responder's CGI parameters describe. The path is REQUEST_URI as the client sent it
 * (what runserver sees), else SCRIPT_NAME, PATH_INFO and QUERY_STRING; https when HTTPS is set (nginx:
 * `fastcgi_param HTTPS $https if_not_empty`) or REQUEST_SCHEME says so; headers from HTTP_* and
 * CONTENT_TYPE/CONTENT_LENGTH. A parameter sent twice counts once, with its last value (Debian's
 * fastcgi_params sets SCRIPT_NAME, and a site often sets it again).
 */
export function requestFromParams(params: ReadonlyMap<string, string>, body: Uint8Array<ArrayBuffer> | null): { request: Request; address: string } {
  const p = (name: string) => params.get(name) ?? '';
  const https = (p('HTTPS') !== '' && p('HTTPS').toLowerCase() !== 'off') || p('REQUEST_SCHEME').toLowerCase() === 'https';
  const scheme = https ? 'https' : 'http';
  const defaultPort = https ? '443' : '80';
  const host = p('HTTP_HOST') || (p('SERVER_NAME') ? `${p('SERVER_NAME').includes(':') ? `[${p('SERVER_NAME')}]` : p('SERVER_NAME')}${p('SERVER_PORT') && p('SERVER_PORT') !== defaultPort ? `:${p('SERVER_PORT')}` : ''}` : 'localhost');
  const uri = p('REQUEST_URI');
  const target = uri.startsWith('/') ? uri : `${p('SCRIPT_NAME')}${p('PATH_INFO')}${p('QUERY_STRING') ? `?${p('QUERY_STRING')}` : ''}` || '/';
  let url: URL;
  try {
    if (/[\s@/\\?#]/.test(host)) throw new Error('host');
    url = new URL(`${scheme}://${host}${target.startsWith('/') ? target : `/${target}`}`);
  } catch {
    throw new BadRequest(`the request names no valid host and path (HTTP_HOST ${JSON.stringify(host)}, target ${JSON.stringify(target)})`);
  }
  const method = p('REQUEST_METHOD') || 'GET';
  if (!/^[A-Za-z]+$/.test(method)) throw new BadRequest(`invalid REQUEST_METHOD ${JSON.stringify(method)}`);
  const headers = new Headers();
  try {
    for (const [name, value] of params) {
      if (name === 'CONTENT_TYPE' || name === 'CONTENT_LENGTH') {
        if (value !== '') headers.set(name.replace('_', '-'), value);
      } else if (name.startsWith('HTTP_') && name !== 'HTTP_CONTENT_TYPE' && name !== 'HTTP_CONTENT_LENGTH') {
        headers.set(name.slice(5).replaceAll('_', '-'), value);
      }
    }
  } catch {
    throw new BadRequest('a header name or value that HTTP does not allow');
  }
  const withBody = method !== 'GET' && method !== 'HEAD';
  // The body is the STDIN stream: its length is the one to believe.
  if (withBody) headers.set('content-length', String(body?.length ?? 0));
  const request = new Request(url.href, { method, headers, ...(withBody ? { body: body ?? new Uint8Array(0) } : {}) });
  return { request, address: p('REMOTE_ADDR') || 'unknown' };
}

/** A Response as CGI output: a Status line, the headers, a blank line, the body (none for HEAD). */
export async function cgiResponse(response: Response, head: boolean): Promise<Uint8Array[]> {
  const empty = response.status === 204 || response.status === 304;
  // HEAD: the length the GET would have (as runserver says it), without the body.
  const body = empty ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
  const lines = [`Status: ${response.status} ${response.statusText || REASONS[response.status] || ''}`.trimEnd()];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') lines.push(`${name}: ${value}`);
  });
  for (const cookie of response.headers.getSetCookie()) lines.push(`set-cookie: ${cookie}`);
  // A HEAD answer's length is the GET's: the handler's Content-Length (it sends no body), else the body's.
  const declared = response.headers.get('content-length');
  if (!empty) lines.push(`content-length: ${head && declared !== null && /^\d+$/.test(declared) ? declared : body.length}`);
  return [encoder.encode(`${lines.join('\r\n')}\r\n\r\n`), head ? new Uint8Array(0) : body];
}

export interface FastcgiLimits {
  /** The most PARAMS bytes one request may send (431 past it). */
  maxParams: number;
  /** The most body bytes (413 past it): runserver's limit. */
  maxBody: number;
  /** Requests in flight on one connection (multiplexed), past which OVERLOADED is answered. */
  maxRequests: number;
  /** A connection with no request in flight is closed after this long. */
  idleMs: number;
}

export const LIMITS: FastcgiLimits = { maxParams: 256 * 1024, maxBody: 64 * 1024, maxRequests: 100, idleMs: 120_000 };
export const MAX_CONNECTIONS = 1000;

interface Pending {
  params: Uint8Array[];
  paramsSize: number;
  paramsDone: boolean;
  stdin: Uint8Array[];
  stdinSize: number;
  keep: boolean;
  /** Answered (or being answered): later records for it are ignored. */
  answered: boolean;
  aborted: boolean;
}

export type Handle = (request: Request, address: string) => Promise<Response>;

/**
 * Serves FastCGI requests on a net.Server's connections with `handle` (runserver's handler).
 * Requests may be multiplexed; each is answered once its PARAMS and STDIN streams are complete.
 * `closeIdle` (for a stop) closes connections without a request in flight; `inFlight` counts requests.
 */
export function attachResponder(server: Server, handle: Handle, onError: (message: string) => void, limits: FastcgiLimits = LIMITS) {
  const sockets = new Set<Socket>();
  const busy = new Map<Socket, number>();
  let stopping = false;
  let inFlight = 0;
  let settle: (() => void) | null = null;

  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    busy.set(socket, 0);
    const reader = new RecordReader();
    const requests = new Map<number, Pending>();
    socket.setTimeout(limits.idleMs);
    socket.on('timeout', () => {
      if ((busy.get(socket) ?? 0) === 0) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      busy.delete(socket);
    });

    let writing: Promise<void> = Promise.resolve();
    const write = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        if (socket.write(bytes)) resolve();
        else socket.once('drain', resolve).once('close', resolve);
      });
    /** Records of one request go out whole, in order; other requests' records may come between. */
    const send = (records: Uint8Array[]) => (writing = writing.then(async () => {
      for (const record of records) await write(record);
    }));
    const end = (id: number, pending: Pending | undefined, status: number, appStatus = 0) => {
      const body = new Uint8Array(8);
      new DataView(body.buffer).setUint32(0, appStatus);
      body[4] = status;
      requests.delete(id);
      void send([encodeRecord(RecordType.EndRequest, id, body)]).then(() => {
        if (!(pending?.keep ?? false) || (stopping && requests.size === 0)) socket.end();
      });
    };
    const answer = async (id: number, pending: Pending, response: () => Promise<Response>, head: boolean) => {
      pending.answered = true;
      busy.set(socket, (busy.get(socket) ?? 0) + 1);
      inFlight++;
      try {
        const result = await response();
        if (!pending.aborted) {
          const records: Uint8Array[] = [];
          for (const part of await cgiResponse(result, head)) {
            for (let at = 0; at < part.length; at += MAX_CONTENT) records.push(encodeRecord(RecordType.Stdout, id, part.subarray(at, at + MAX_CONTENT)));
          }
          records.push(encodeRecord(RecordType.Stdout, id));
          void send(records);
        }
        end(id, pending, ProtocolStatus.RequestComplete);
        await writing;
      } catch (error) {
        onError(`FastCGI: request ${id}: ${(error as Error).message}; connection closed`);
        socket.destroy();
      } finally {
        busy.set(socket, (busy.get(socket) ?? 1) - 1);
        inFlight--;
        if (inFlight === 0) settle?.();
      }
    };
    const plain = (status: number, text: string) => async () => new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const dispatch = (id: number, pending: Pending) => {
      const params = decodePairs(concat(pending.params));
      if (params === null) return void answer(id, pending, plain(400, 'Bad request'), false);
      const map = new Map(params);
      const head = (map.get('REQUEST_METHOD') ?? '').toUpperCase() === 'HEAD';
      let built: ReturnType<typeof requestFromParams>;
      try {
        built = requestFromParams(map, concat(pending.stdin));
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        return void answer(id, pending, plain(400, 'Bad request'), head);
      }
      void answer(id, pending, () => handle(built.request, built.address), head);
    };
    const ready = (id: number, pending: Pending, stdinDone: boolean) => {
      if (pending.answered || !pending.paramsDone) return;
      if (pending.stdinSize > limits.maxBody) return void answer(id, pending, plain(413, 'Request body too large'), false);
      if (stdinDone) dispatch(id, pending);
    };

    const onRecord = (record: FastcgiRecord) => {
      const { type, id, content } = record;
      if (id === 0) {
        if (type === RecordType.GetValues) {
          const asked = decodePairs(content) ?? [];
          const values: Record<string, string> = { FCGI_MAX_CONNS: String(MAX_CONNECTIONS), FCGI_MAX_REQS: String(MAX_CONNECTIONS * limits.maxRequests), FCGI_MPXS_CONNS: '1' };
          void send([encodeRecord(RecordType.GetValuesResult, 0, encodePairs(asked.filter(([name]) => name in values).map(([name]) => [name, values[name]!] as const)))]);
        } else {
          const body = new Uint8Array(8);
          body[0] = type;
          void send([encodeRecord(RecordType.UnknownType, 0, body)]);
        }
        return;
      }
      if (type === RecordType.BeginRequest) {
        if (requests.has(id) || content.length < 8) throw new ProtocolError(`BEGIN_REQUEST for request ${id} ${requests.has(id) ? 'already in use' : 'too short'}`);
        const role = (content[0]! << 8) | content[1]!;
        const pending: Pending = { params: [], paramsSize: 0, paramsDone: false, stdin: [], stdinSize: 0, keep: (content[2]! & KEEP_CONN) !== 0, answered: false, aborted: false };
        if (role !== ROLE_RESPONDER) return end(id, pending, ProtocolStatus.UnknownRole);
        if (requests.size >= limits.maxRequests || stopping) return end(id, pending, ProtocolStatus.Overloaded);
        requests.set(id, pending);
        return;
      }
      const pending = requests.get(id);
      if (!pending) return; // a record for a request that ended (or never began): ignored, as the spec says
      if (type === RecordType.AbortRequest) {
        pending.aborted = true;
        if (!pending.answered) end(id, pending, ProtocolStatus.RequestComplete);
        return;
      }
      if (pending.answered) return;
      if (type === RecordType.Params) {
        if (content.length === 0) {
          pending.paramsDone = true;
          return ready(id, pending, false);
        }
        pending.paramsSize += content.length;
        if (pending.paramsSize > limits.maxParams) return void answer(id, pending, plain(431, 'Request headers too large'), false);
        pending.params.push(content);
      } else if (type === RecordType.Stdin) {
        if (content.length === 0) return ready(id, pending, true);
        pending.stdinSize += content.length;
        if (pending.stdinSize > limits.maxBody) return ready(id, pending, false);
        pending.stdin.push(content);
      }
      // DATA (the filter role's) and anything else: ignored.
    };

    socket.on('data', (chunk: Uint8Array) => {
      try {
        for (const record of reader.push(chunk)) onRecord(record);
      } catch (error) {
        onError(`FastCGI: ${error instanceof ProtocolError ? error.message : (error as Error).message}; connection closed`);
        socket.destroy();
      }
    });
  });

  return {
    /** Stops taking connections and requests; resolves when the requests in flight are answered. */
    async stop(): Promise<void> {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) if ((busy.get(socket) ?? 0) === 0) socket.end();
      if (inFlight > 0) await new Promise<void>((resolve) => (settle = resolve));
      for (const socket of sockets) socket.end();
      await closed;
    },
  };
}
