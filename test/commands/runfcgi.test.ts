import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { attachResponder, decodePairs, encodePairs, encodeRecord, RecordReader, RecordType, requestFromParams, type FastcgiRecord } from '../../core/serve/fastcgi.ts';
import { parseFcgiOptions } from '../../core/serve/fcgi-options.ts';
import { listenError } from '../../core/serve/listen.ts';
import { installBinary, runBinary, startServer } from '../support/binary.ts';
import { call } from '../support/cli.ts';
import { initialisedDatabase } from '../support/db.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/** runfcgi: runserver's pages over FastCGI, behind Debian's nginx and libfcgi's cgi-fcgi. */

const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

describe('the FastCGI records', () => {
  test('name-value pairs round-trip with 1- and 4-byte lengths, UTF-8 values, and a truncated stream is refused', () => {
    const pairs: [string, string][] = [['A', ''], ['REQUEST_URI', '/démo?x=1'], ['HTTP_COOKIE', 'k'.repeat(300)], ['L'.repeat(200), 'v']];
    const bytes = encodePairs(pairs);
    expect(decodePairs(bytes)).toEqual(pairs);
    // 300 needs the 4-byte form, high bit set; 1 the 1-byte one.
    expect([...encodePairs([['A', 'k'.repeat(300)]]).subarray(0, 6)]).toEqual([1, 0x80, 0, 1, 44, 0x41]);
    // Cut anywhere but between pairs (after 3 and 26 bytes): a length runs past the end.
    for (let cut = 1; cut < 40; cut++) expect(decodePairs(bytes.subarray(0, cut))).toEqual(cut === 3 ? pairs.slice(0, 1) : cut === 26 ? pairs.slice(0, 2) : null);
    // A value that is not UTF-8 (a Latin-1 query) is read as Latin-1, not replaced.
    expect(decodePairs(Uint8Array.from([1, 2, 0x51, 0x73, 0xe9]))).toEqual([['Q', 'sé']]);
  });

  test('records are cut out of a stream split at every byte, padding skipped; another version is a protocol error', () => {
    const stream = new Uint8Array([...encodeRecord(RecordType.Params, 7, new TextEncoder().encode('hello')), ...encodeRecord(RecordType.Stdin, 7)]);
    expect(stream.length).toBe(16 + 8);
    for (let split = 0; split <= stream.length; split++) {
      const reader = new RecordReader();
      const records = [...reader.push(stream.slice(0, split)), ...reader.push(stream.slice(split))];
      expect(records.map((r) => [r.type, r.id, new TextDecoder().decode(r.content)])).toEqual([
        [RecordType.Params, 7, 'hello'],
        [RecordType.Stdin, 7, ''],
      ]);
    }
    expect(() => new RecordReader().push(Uint8Array.from([2, 1, 0, 1, 0, 0, 0, 0]))).toThrow('unknown FastCGI version 2');
  });

  test('the request: REQUEST_URI as sent, https from HTTPS, the last of a parameter sent twice, headers from HTTP_*', async () => {
    // Debian's fastcgi_params sets SCRIPT_NAME; the site sets it again: the last one counts.
    const params = new Map(decodePairs(encodePairs([['SCRIPT_NAME', '/index.php'], ['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/login?next=%2Fa%20b'], ['HTTPS', 'on'], ['HTTP_HOST', 'conf.example.org'], ['CONTENT_TYPE', 'application/x-www-form-urlencoded'], ['CONTENT_LENGTH', '999'], ['HTTP_X_FORWARDED_PROTO', 'http'], ['REMOTE_ADDR', '203.0.113.9'], ['SCRIPT_NAME', ''], ['HTTPS', 'on']]))!);
    const { request, address } = requestFromParams(params, new TextEncoder().encode('a=1'));
    expect([request.method, request.url, address, request.headers.get('content-type'), request.headers.get('content-length'), request.headers.get('x-forwarded-proto')]).toEqual(['POST', 'https://conf.example.org/login?next=%2Fa%20b', '203.0.113.9', 'application/x-www-form-urlencoded', '3', 'http']);
    expect(await request.text()).toBe('a=1');
    // Without REQUEST_URI: SCRIPT_NAME, PATH_INFO and QUERY_STRING; without HTTP_HOST: SERVER_NAME and a port that is not the default.
    const bare = requestFromParams(new Map([['PATH_INFO', '/democon/'], ['QUERY_STRING', 'a=1'], ['SERVER_NAME', 'localhost'], ['SERVER_PORT', '8080'], ['HTTPS', 'off']]), null);
    expect([bare.request.method, bare.request.url, bare.address]).toEqual(['GET', 'http://localhost:8080/democon/?a=1', 'unknown']);
    for (const host of ['evil.example/x', 'a b', 'user@host']) expect(() => requestFromParams(new Map([['HTTP_HOST', host]]), null)).toThrow('the request names no valid host and path');
    expect(() => requestFromParams(new Map([['HTTP_X', 'a\nb']]), null)).toThrow('a header name or value that HTTP does not allow');
  });
});

describe('the settings', () => {
  test("Django 1.0's KEY=VALUE settings, each checked; unknown ones refused", () => {
    expect(parseFcgiOptions(['host=127.0.0.1', 'port=8001', 'daemonize=false', 'method=threaded', 'maxspare=5'])).toEqual({ bind: { kind: 'tcp', host: '127.0.0.1', port: 8001 }, daemonize: false, pidfile: null, maxrequests: 0, umask: null, workdir: null, outlog: null, errlog: null });
    expect(parseFcgiOptions(['socket=/run/x.sock', 'daemonize=yes', 'umask=007', 'pidfile=x.pid', 'maxrequests=10', 'Protocol=fcgi'])).toMatchObject({ bind: { kind: 'unix', path: '/run/x.sock' }, daemonize: true, umask: 0o7, pidfile: 'x.pid', maxrequests: 10 });
    expect(parseFcgiOptions([])).toMatchObject({ bind: { kind: 'stdin' } });
    expect(parseFcgiOptions(['help'])).toBe('help');
    for (const [words, message] of [
      [['hots=127.0.0.1'], 'Unknown runfcgi setting "hots": the settings are protocol, host, port, socket, method, maxspare, minspare, maxchildren, maxrequests, daemonize, pidfile, workdir, debug, outlog, errlog, umask (see runfcgi --help).'],
      [['host=127.0.0.1'], 'Invalid combination of host, port, socket.'],
      [['host=127.0.0.1', 'port=1', 'socket=/x'], 'Invalid combination of host, port, socket.'],
      [['host=127.0.0.1', 'port=70000'], '"70000" is not a valid port number.'],
      [['method=forking'], 'ERROR: Implementation must be one of prefork or thread.'],
      [['daemonize=maybe'], 'Invalid option for daemonize parameter: "maybe" (true or false).'],
      [['protocol=scgi'], 'Protocol "scgi" is not served: confctl speaks FastCGI only (protocol=fcgi); for SCGI or AJP put runserver behind the web server as a proxy.'],
      [['umask=9'], 'Invalid option for umask parameter: "9" (octal, such as 022).'],
      [['port'], 'runfcgi setting "port" needs a value: port=VALUE.'],
      [['maxrequests=-1'], 'Invalid option for maxrequests parameter: "-1" (a whole number).'],
    ] as const) {
      expect(() => parseFcgiOptions(words)).toThrow(message);
    }
  });

  test('why a socket cannot be listened on is said in words (a read-only mount, no permission)', () => {
    const error = (code: string) => Object.assign(new Error('Failed to listen at /ro/x.sock'), { code });
    expect(listenError(error('EROFS'), 'unix:/ro/x.sock').message).toBe('Cannot listen on unix:/ro/x.sock: the folder is on a read-only file system.');
    expect(listenError(error('EACCES'), 'unix:/ro/x.sock').message).toBe('Cannot listen on unix:/ro/x.sock: permission denied.');
  });

  test('a bad setting is one CommandError line before anything is opened', async () => {
    using dir = tempDir();
    expect(await call(['runfcgi', 'host=127.0.0.1', 'port=1', 'prot=fcgi'], { cwd: dir.path })).toEqual({
      stdout: '',
      stderr: 'CommandError: Unknown runfcgi setting "prot": the settings are protocol, host, port, socket, method, maxspare, minspare, maxchildren, maxrequests, daemonize, pidfile, workdir, debug, outlog, errlog, umask (see runfcgi --help).\n',
      exitCode: 1,
    });
    const help = await call(['runfcgi', 'help'], { cwd: dir.path });
    expect([help.exitCode, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toStartWith('Usage: confctl runfcgi [options] [KEY=VALUE] ...\n\nServes what runserver serves over FastCGI');
    expect(help.stdout).toContain('  socket=FILE                 listen on a unix socket');
    expect(existsSync(join(dir.path, 'data'))).toBe(false);
  });
});

/** A FastCGI client for the protocol's corners (nginx and cgi-fcgi below are the real clients). */
async function exchange(port: number, records: Uint8Array[], until: (got: FastcgiRecord[]) => boolean): Promise<{ records: FastcgiRecord[]; closed: boolean }> {
  const socket = connect({ host: '127.0.0.1', port });
  const reader = new RecordReader();
  const got: FastcgiRecord[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; got ${JSON.stringify(got.map((r) => r.type))}`)), 4000);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ records: got, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      got.push(...reader.push(new Uint8Array(chunk)));
      if (until(got)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      for (const record of records) socket.write(record);
    });
  });
}

const begin = (id: number, role = 1, keep = true) => encodeRecord(RecordType.BeginRequest, id, Uint8Array.from([0, role, keep ? 1 : 0, 0, 0, 0, 0, 0]));
const params = (id: number, pairs: [string, string][]) => [encodeRecord(RecordType.Params, id, encodePairs(pairs)), encodeRecord(RecordType.Params, id)];
const stdout = (records: FastcgiRecord[], id: number) => new TextDecoder().decode(Uint8Array.from(records.filter((r) => r.type === RecordType.Stdout && r.id === id).flatMap((r) => [...r.content])));
const ended = (records: FastcgiRecord[], id: number) => records.find((r) => r.type === RecordType.EndRequest && r.id === id);

describe('the responder', () => {
  let server: Server;
  let port: number;
  const errors: string[] = [];
  let responder: ReturnType<typeof attachResponder>;
  beforeAll(async () => {
    server = createServer();
    responder = attachResponder(server, async (request, address) => {
      if (new URL(request.url).pathname === '/slow') await Bun.sleep(300);
      return new Response(`${request.method} ${request.url} from ${address}: ${await request.text()}`, { headers: { 'Set-Cookie': 'a=1', 'X-Two': 'b' } });
    }, (message) => errors.push(message), { maxParams: 4096, maxBody: 1024, maxRequests: 3, idleMs: 60_000 });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await responder.stop();
  });

  test('a request: CGI status line, headers (each Set-Cookie), length, body, then END_REQUEST; the connection kept', async () => {
    const { records, closed } = await exchange(port, [begin(1), ...params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/x'], ['HTTP_HOST', 'h'], ['REMOTE_ADDR', '198.51.100.1']]), encodeRecord(RecordType.Stdin, 1, new TextEncoder().encode('body')), encodeRecord(RecordType.Stdin, 1)], (got) => !!ended(got, 1));
    expect(stdout(records, 1)).toBe('Status: 200 OK\r\nx-two: b\r\nset-cookie: a=1\r\ncontent-length: 39\r\n\r\nPOST http://h/x from 198.51.100.1: body');
    expect([...ended(records, 1)!.content]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(closed).toBe(false);
  });

  test('HEAD has headers only; two requests multiplexed on one connection are each answered, the quick one first', async () => {
    const { records } = await exchange(port, [begin(1), begin(2), ...params(1, [['REQUEST_URI', '/slow'], ['HTTP_HOST', 'h']]), ...params(2, [['REQUEST_METHOD', 'HEAD'], ['REQUEST_URI', '/quick'], ['HTTP_HOST', 'h']]), encodeRecord(RecordType.Stdin, 2), encodeRecord(RecordType.Stdin, 1)], (got) => !!ended(got, 1) && !!ended(got, 2));
    // HEAD: no body, and the length the GET would have.
    expect(stdout(records, 2)).toBe('Status: 200 OK\r\nx-two: b\r\nset-cookie: a=1\r\ncontent-length: 34\r\n\r\n');
    expect(stdout(records, 1)).toEndWith('\r\n\r\nGET http://h/slow from unknown: ');
    expect(records.findIndex((r) => r.type === RecordType.EndRequest && r.id === 2)).toBeLessThan(records.findIndex((r) => r.type === RecordType.EndRequest && r.id === 1));
  });

  test('limits: a body past the limit is 413, parameters past theirs 431, without waiting for the rest', async () => {
    const big = await exchange(port, [begin(1), ...params(1, [['REQUEST_METHOD', 'POST'], ['HTTP_HOST', 'h']]), encodeRecord(RecordType.Stdin, 1, new Uint8Array(1025))], (got) => !!ended(got, 1));
    expect(stdout(big.records, 1)).toStartWith('Status: 413 Content Too Large\r\n');
    const many = await exchange(port, [begin(1), encodeRecord(RecordType.Params, 1, encodePairs([['HTTP_X', 'x'.repeat(5000)]]))], (got) => !!ended(got, 1));
    expect(stdout(many.records, 1)).toStartWith('Status: 431 Request Header Fields Too Large\r\n');
    // More requests at once than allowed on one connection: OVERLOADED (2) for the one too many.
    const crowd = await exchange(port, [begin(1), begin(2), begin(3), begin(4)], (got) => !!ended(got, 4));
    expect(ended(crowd.records, 4)!.content[4]).toBe(2);
  });

  test('management records, other roles, an abort, a bad host and a broken stream', async () => {
    const values = await exchange(port, [encodeRecord(RecordType.GetValues, 0, encodePairs([['FCGI_MPXS_CONNS', ''], ['FCGI_MAX_CONNS', ''], ['NOPE', '']]))], (got) => got.length > 0);
    expect(values.records[0]!.type).toBe(RecordType.GetValuesResult);
    expect(decodePairs(values.records[0]!.content)).toEqual([['FCGI_MPXS_CONNS', '1'], ['FCGI_MAX_CONNS', '1000']]);
    const unknown = await exchange(port, [encodeRecord(42, 0, new Uint8Array(3))], (got) => got.length > 0);
    expect([unknown.records[0]!.type, unknown.records[0]!.content[0]]).toEqual([RecordType.UnknownType, 42]);
    // The authorizer role is not served: UNKNOWN_ROLE (3), and without KEEP_CONN the connection closes.
    const role = await exchange(port, [begin(5, 2, false)], () => false);
    expect([ended(role.records, 5)!.content[4], role.closed]).toEqual([3, true]);
    const abort = await exchange(port, [begin(1), encodeRecord(RecordType.AbortRequest, 1)], (got) => !!ended(got, 1));
    expect(stdout(abort.records, 1)).toBe('');
    const host = await exchange(port, [begin(1), ...params(1, [['HTTP_HOST', 'a/b']]), encodeRecord(RecordType.Stdin, 1)], (got) => !!ended(got, 1));
    expect(stdout(host.records, 1)).toStartWith('Status: 400 Bad Request\r\n');
    // Garbage: one line on the log, the connection closed, the server still serving.
    const garbage = await exchange(port, [new TextEncoder().encode('GET / HTTP/1.1\r\nHost: h\r\n\r\n')], () => false);
    expect([garbage.records, garbage.closed, errors]).toEqual([[], true, ['FastCGI: unknown FastCGI version 71; connection closed']]);
    const again = await exchange(port, [begin(1), ...params(1, [['HTTP_HOST', 'h']]), encodeRecord(RecordType.Stdin, 1)], (got) => !!ended(got, 1));
    expect(stdout(again.records, 1)).toStartWith('Status: 200 OK');
  });
});

/** The compiled binary behind real FastCGI clients: Debian's nginx (startproject's site) and cgi-fcgi. */
describe('runfcgi behind nginx and cgi-fcgi', () => {
  let dir: TempDir;
  let confctl: string;
  beforeAll(async () => {
    for (const tool of ['/usr/sbin/nginx', '/usr/bin/cgi-fcgi']) if (!existsSync(tool)) throw new Error(`${tool} is needed (.ci/run installs nginx and libfcgi-bin).`);
    dir = tempDir('confctl-runfcgi-');
    confctl = installBinary(dir.path);
    await initialisedDatabase(dir.path);
    await call(['create_test_event', '--seed', '3', '-v', '0'], { cwd: dir.path, env });
  }, 120_000);
  afterAll(() => dir?.[Symbol.dispose]());

  test("cgi-fcgi's bare request on a unix socket gets the schedule; SIGTERM removes the socket and the pid file", async () => {
    const socket = dir.join('fcgi.sock');
    writeFileSync(socket, ''); // not a socket: refused, left alone
    const refused = await runBinary(confctl, ['runfcgi', `socket=${socket}`], dir.path, env);
    expect([refused.exitCode, refused.stderr]).toEqual([1, `CommandError: Cannot listen on unix:${socket}: the file exists and is not a socket.\n`]);
    Bun.spawnSync(['rm', socket]);
    const nowhere = await runBinary(confctl, ['runfcgi', `socket=${dir.join('nowhere', 'x.sock')}`], dir.path, env);
    expect([nowhere.exitCode, nowhere.stderr]).toEqual([1, `CommandError: Cannot listen on unix:${dir.join('nowhere', 'x.sock')}: the folder ${dir.join('nowhere')} does not exist.\n`]);
    const server = await startServer(confctl, ['runfcgi', `socket=${socket}`, 'umask=007', 'pidfile=fcgi.pid'], dir.path, env);
    try {
      expect(server.url).toBe(`unix:${socket}`);
      expect(statSync(socket).mode & 0o777).toBe(0o770);
      expect(readFileSync(dir.join('fcgi.pid'), 'utf8')).toBe(`${server.child.pid}\n`);
      const got = Bun.spawnSync(['cgi-fcgi', '-bind', '-connect', socket], { env: { REQUEST_METHOD: 'GET', REQUEST_URI: '/democon/schedule.json', HTTP_HOST: 'conf.example.org', SERVER_PROTOCOL: 'HTTP/1.1' } });
      const text = got.stdout.toString();
      expect(text).toStartWith('Status: 200 OK\r\n');
      expect(text).toContain('content-type: application/json\r\n');
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { schedule: { conference: { acronym: string } } };
      expect(body.schedule.conference.acronym).toBe('democon');
      // HEAD: runserver's headers and length, no body.
      const head = Bun.spawnSync(['cgi-fcgi', '-bind', '-connect', socket], { env: { REQUEST_METHOD: 'HEAD', REQUEST_URI: '/democon/schedule.json', HTTP_HOST: 'conf.example.org' } }).stdout.toString();
      expect(head).toMatch(/\r\ncontent-length: \d{4,}\r\n\r\n$/);
      expect(head.slice(head.indexOf('content-length: ') + 16, -4)).toBe(String(Buffer.byteLength(text.slice(text.indexOf('\r\n\r\n') + 4))));
      // A second server on the same socket is refused while the first one answers.
      const twice = await runBinary(confctl, ['runfcgi', `socket=${socket}`], dir.path, env);
      expect(twice.stderr).toBe(`CommandError: Cannot listen on unix:${socket}: another server is listening on it.\n`);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.child.exited).toBe(0);
    expect([existsSync(socket), existsSync(dir.join('fcgi.pid'))]).toEqual([false, false]);
    const { stdout, stderr } = await server.output();
    expect(stdout).toBe(`Starting FastCGI server at unix:${socket}\nQuit the server with CONTROL-C.\n`);
    expect(stderr).toBe("Warning: [site] url is not set: the feeds' absolute links say http://localhost:8000.\nSIGTERM: stopping after the requests in flight…\n");
  }, 60_000);

  test("startproject's nginx FastCGI site in front: the schedule, the API, and the login flow over https (Secure cookie)", async () => {
    const server = await startServer(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'maxrequests=1000'], dir.path, env);
    const nginx = dir.join('nginx');
    mkdirSync(join(nginx, 'logs'), { recursive: true });
    let nginxProcess: ReturnType<typeof Bun.spawn> | undefined;
    try {
      const project = await call(['startproject', 'myconf', dir.join('project')], { cwd: dir.path });
      expect(project.exitCode).toBe(0);
      const key = Bun.spawnSync(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(nginx, 'key.pem'), '-out', join(nginx, 'cert.pem'), '-days', '1', '-subj', '/CN=myconf.example.org']);
      expect(key.exitCode).toBe(0);
      const [httpsPort, httpPort] = [await freePort(), await freePort()];
      const site = readFileSync(dir.join('project', 'deploy', 'nginx-fastcgi.conf'), 'utf8')
        .replace('/etc/letsencrypt/live/myconf.example.org/fullchain.pem', join(nginx, 'cert.pem'))
        .replace('/etc/letsencrypt/live/myconf.example.org/privkey.pem', join(nginx, 'key.pem'))
        .replace('fastcgi_pass 127.0.0.1:8001;', `fastcgi_pass ${server.url};`)
        .replace(/listen \[::\]:\d+.*;\n/g, '')
        .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
        .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl;`);
      expect(site).toContain(`fastcgi_pass ${server.url};`);
      writeFileSync(join(nginx, 'site.conf'), site);
      writeFileSync(join(nginx, 'nginx.conf'), `daemon off;\nmaster_process off;\npid ${nginx}/nginx.pid;\nerror_log ${nginx}/logs/error.log;\nevents {}\nhttp {\n  access_log off;\n  include /etc/nginx/mime.types;\n  include site.conf;\n}\n`);
      Bun.spawnSync(['cp', '/etc/nginx/fastcgi_params', join(nginx, 'fastcgi_params')]);
      nginxProcess = Bun.spawn(['nginx', '-c', join(nginx, 'nginx.conf'), '-p', `${nginx}/`], { stdout: 'ignore', stderr: 'pipe' });
      const base = `https://127.0.0.1:${httpsPort}`;
      const get = async (path: string, init: RequestInit = {}) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await fetch(`${base}${path}`, { ...init, redirect: 'manual', headers: { Host: 'myconf.example.org', ...(init.headers as Record<string, string>) }, tls: { rejectUnauthorized: false } } as RequestInit);
          } catch (error) {
            if (attempt > 50) throw error;
            await Bun.sleep(100);
          }
        }
      };
      const schedule = await get('/democon/schedule/');
      expect([schedule.status, schedule.headers.get('strict-transport-security'), schedule.headers.get('x-frame-options')]).toEqual([200, 'max-age=31536000', 'DENY']);
      expect(await schedule.text()).toContain('<h1>');
      const api = await get('/api/events/');
      expect([api.status, api.headers.get('content-type')]).toEqual([200, 'application/json']);
      expect(((await api.json()) as { slug: string }[]).map((e) => e.slug)).toEqual(['democon']);
      // The API's absolute links: https and the site's host, from nginx's HTTPS parameter and Host.
      expect(await (await get('/api/')).json()).toMatchObject({ urls: { events: 'https://myconf.example.org/api/events/' } });
      const missing = await get('/nowhere');
      expect(missing.status).toBe(404);

      // Login: the form's Origin is the https site (nginx's HTTPS parameter), so it is not cross-site.
      const wrong = await get('/login', { method: 'POST', body: 'email=admin%40example.org&password=nope', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://myconf.example.org' } });
      expect(wrong.status).toBe(400);
      const login = await get('/login', { method: 'POST', body: 'email=admin%40example.org&password=a-long-s3cret-phrase', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://myconf.example.org' } });
      expect([login.status, login.headers.get('location')]).toEqual([303, '/']);
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^confctl_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
      const home = await get('/', { headers: { Cookie: cookie.split(';')[0]! } });
      expect(await home.text()).toContain('Logged in as admin@example.org.');
      const cross = await get('/login', { method: 'POST', body: 'email=a&password=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://myconf.example.org' } });
      expect(cross.status).toBe(403);
      // Plain http is sent to https by the site, never to runfcgi.
      const plain = await fetch(`http://127.0.0.1:${httpPort}/democon/`, { redirect: 'manual', headers: { Host: 'myconf.example.org' } });
      expect([plain.status, plain.headers.get('location')]).toEqual([301, 'https://myconf.example.org/democon/']);
    } finally {
      nginxProcess?.kill();
      server.child.kill('SIGINT');
    }
    expect(await server.child.exited).toBe(0);
    expect((await server.output()).stderr).toEndWith('SIGINT: stopping after the requests in flight…\n');
  }, 90_000);

  test('a workdir or pid file folder that does not exist, or a pid file of a running process, is refused before it starts (in the background too)', async () => {
    for (const extra of [[], ['daemonize=true']]) {
      const missing = await runBinary(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'workdir=/nonexistent', ...extra], dir.path, env);
      expect(missing).toEqual({ exitCode: 1, stdout: '', stderr: 'CommandError: workdir=/nonexistent: no such folder.\n' });
      const nofolder = await runBinary(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'pidfile=/nonexistent/x.pid', ...extra], dir.path, env);
      expect(nofolder).toEqual({ exitCode: 1, stdout: '', stderr: 'CommandError: pidfile=/nonexistent/x.pid: the folder /nonexistent does not exist.\n' });
    }
    writeFileSync(dir.join('live.pid'), `${process.pid}\n`);
    const taken = await runBinary(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'pidfile=live.pid'], dir.path, env);
    expect(taken).toEqual({ exitCode: 1, stdout: '', stderr: `CommandError: pidfile=${dir.join('live.pid')} names process ${process.pid}, which is running: another server's pid file.\n` });
  }, 30_000);

  test('maxrequests=N serves N requests, then stops cleanly (exit 0) for its supervisor to start a fresh process', async () => {
    const server = await startServer(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'maxrequests=2'], dir.path, env);
    const [host, port] = [server.url.slice(0, server.url.lastIndexOf(':')), server.url.slice(server.url.lastIndexOf(':') + 1)];
    for (let i = 0; i < 2; i++) {
      const got = Bun.spawnSync(['cgi-fcgi', '-bind', '-connect', `${host}:${port}`], { env: { REQUEST_METHOD: 'GET', REQUEST_URI: '/', HTTP_HOST: 'h' } });
      expect(got.stdout.toString()).toStartWith('Status: 200 OK');
    }
    expect(await server.child.exited).toBe(0);
    expect((await server.output()).stderr).toEndWith('maxrequests=2 served: stopping after the requests in flight…\n');
  }, 30_000);

  test('daemonize=true: the first process says the pid and ends; the server goes on in the background until SIGTERM', async () => {
    const started = await runBinary(confctl, ['runfcgi', 'host=127.0.0.1', 'port=0', 'daemonize=true', 'pidfile=daemon.pid', 'errlog=daemon.log'], dir.path, env);
    expect(started.exitCode).toBe(0);
    const pid = Number(readFileSync(dir.join('daemon.pid'), 'utf8'));
    expect(started.stdout).toBe(`FastCGI server started in the background (process ${pid}).\n`);
    expect(process.kill(pid, 0)).toBe(true);
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && existsSync(dir.join('daemon.pid')); i++) await Bun.sleep(50);
    expect(existsSync(dir.join('daemon.pid'))).toBe(false);
    expect(readFileSync(dir.join('daemon.log'), 'utf8')).toBe("Warning: [site] url is not set: the feeds' absolute links say http://localhost:8000.\nSIGTERM: stopping after the requests in flight…\n");
    // A background server that cannot start: its error, from the first process.
    const blocker = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
    try {
      const failed = await runBinary(confctl, ['runfcgi', 'host=127.0.0.1', `port=${blocker.port}`, 'daemonize=true'], dir.path, env);
      expect([failed.exitCode, failed.stdout, failed.stderr]).toEqual([1, '', 'Error: That port is already in use.\n']);
    } finally {
      blocker.stop(true);
    }
  }, 30_000);

  test('without host, port or socket it serves the listening socket on stdin, as a web server spawns it; a terminal is refused', async () => {
    const refused = await runBinary(confctl, ['runfcgi'], dir.path, env);
    expect([refused.exitCode, refused.stderr]).toEqual([1, 'CommandError: Standard input is not a listening socket (a web server that spawns runfcgi passes one): to run it yourself give host= and port=, or socket=.\n']);
    const socket = dir.join('spawned.sock');
    // cgi-fcgi -start spawns the program with a listening socket on fd 0, as mod_fcgid and spawn-fcgi
    // do; it runs a program without arguments, so a script names the command.
    const script = dir.join('spawned.sh');
    writeFileSync(script, `#!/bin/sh\necho $$ > ${dir.join('spawned.pid')}\nexec ${confctl} runfcgi\n`, { mode: 0o755 });
    const spawned = Bun.spawnSync(['cgi-fcgi', '-start', '-connect', socket, script], { cwd: dir.path, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', HOME: dir.path, CONFCTL_NOW: env.CONFCTL_NOW } });
    expect(spawned.exitCode).toBe(0);
    try {
      const got = Bun.spawnSync(['cgi-fcgi', '-bind', '-connect', socket], { env: { REQUEST_METHOD: 'GET', REQUEST_URI: '/api/events/', HTTP_HOST: 'h' } });
      expect(got.stdout.toString()).toStartWith('Status: 200 OK');
      expect(got.stdout.toString()).toContain('"slug":"democon"');
    } finally {
      process.kill(Number(readFileSync(dir.join('spawned.pid'), 'utf8')), 'SIGTERM');
    }
  }, 30_000);
});

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}
