import { describe, expect, test } from 'bun:test';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { settingDefs } from '../../core/common/settings.ts';
import { call } from '../support/cli.ts';
import { filesBelow, tempDir } from '../support/tmp.ts';

/** startproject: an instance folder ready to deploy, checked by the tools that will read it (nginx, systemd). */
const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };

const DEFAULT_FILES = [
  'README.md',
  'confctl.toml',
  'deploy/confctl-myconf-fastcgi.service',
  'deploy/confctl-myconf-periodic.service',
  'deploy/confctl-myconf-periodic.timer',
  'deploy/confctl-myconf.service',
  'deploy/nginx-fastcgi.conf',
  'deploy/nginx.conf',
];

describe('startproject', () => {
  test('writes the instance: settings with every setting, data/ and static/, units and nginx sites naming the project and its folder', async () => {
    using dir = tempDir();
    expect(await call(['startproject', 'myconf'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const project = dir.join('myconf');
    expect([...filesBelow(project).keys()]).toEqual(DEFAULT_FILES);
    expect(readdirSync(project).sort()).toEqual(['README.md', 'confctl.toml', 'data', 'deploy', 'static']);

    // Every setting is in the file, under its table, with its meaning; the instance's own are set.
    const settings = readFileSync(join(project, 'confctl.toml'), 'utf8');
    for (const [key, def] of Object.entries(settingDefs)) {
      const [table, name] = key.split('.') as [string, string];
      const section = settings.slice(settings.indexOf(`[${table}]`));
      expect({ key, present: new RegExp(`^# ${def.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(default: .*\\)\\n#? ?${name} = `, 'm').test(section) }).toEqual({ key, present: true });
    }
    const diff = await call(['diffsettings', '--settings', join(project, 'confctl.toml')], { cwd: dir.path, env });
    expect(diff).toEqual({ stdout: `filesystem.data = "${join(project, 'data')}"  ###\nfilesystem.static = "${join(project, 'static')}"  ###\n`, stderr: '', exitCode: 0 });

    const server = readFileSync(join(project, 'deploy', 'confctl-myconf.service'), 'utf8');
    for (const line of ['User=myconf', `WorkingDirectory=${project}`, `Environment=CONFCTL_SETTINGS=${project}/confctl.toml`, 'ExecStart=/usr/local/bin/confctl runserver 127.0.0.1:8000 --noreload',
      'ProtectSystem=strict', `ReadWritePaths=${project}/data ${project}/static`, 'Restart=on-failure', 'NoNewPrivileges=yes', 'ProtectHome=yes',
      // This test's folder is below /tmp, which PrivateTmp would hide from the service.
      '# PrivateTmp is off: the instance is below a temporary folder.']) {
      expect(server.split('\n')).toContain(line);
    }
    // The settings may hold API tokens, the data the database: not for every local user.
    expect([statSync(join(project, 'confctl.toml')).mode & 0o777, statSync(join(project, 'data')).mode & 0o777, statSync(join(project, 'static')).mode & 0o777]).toEqual([0o640, 0o750, 0o755]);
    expect(readFileSync(join(project, 'deploy', 'confctl-myconf-periodic.timer'), 'utf8')).toContain('OnCalendar=*:0/5\n');
    const proxy = readFileSync(join(project, 'deploy', 'nginx.conf'), 'utf8');
    expect(proxy).toContain('proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $host;\n        proxy_set_header X-Forwarded-Proto $scheme;');
    expect(proxy).toContain(`alias ${project}/static/;`);
    expect(readFileSync(join(project, 'deploy', 'nginx-fastcgi.conf'), 'utf8')).toContain('fastcgi_pass 127.0.0.1:8001;');
    expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('## Five steps to go live');
  });

  test("systemd-analyze verify accepts every unit and nginx -t both sites (Debian's, a test certificate in place of the placeholders)", async () => {
    using dir = tempDir();
    await call(['startproject', 'myconf', 'site'], { cwd: dir.path, env });
    const deploy = dir.join('site', 'deploy');
    // The units run the binary from /usr/local/bin, which this machine does not have: an executable that exists stands in.
    mkdirSync(dir.join('units'));
    for (const unit of readdirSync(deploy).filter((f) => /\.(service|timer)$/.test(f))) {
      writeFileSync(dir.join('units', unit), readFileSync(join(deploy, unit), 'utf8').replaceAll('/usr/local/bin/confctl', '/bin/true'));
    }
    for (const unit of readdirSync(dir.join('units'))) {
      const verify = Bun.spawnSync(['systemd-analyze', 'verify', `./${unit}`], { cwd: dir.join('units') });
      expect({ unit, exitCode: verify.exitCode, output: verify.stdout.toString() + verify.stderr.toString() }).toEqual({ unit, exitCode: 0, output: '' });
    }

    const nginx = dir.join('nginx');
    mkdirSync(join(nginx, 'logs'), { recursive: true });
    for (const file of ['fastcgi_params', 'mime.types']) cpSync(join('/etc/nginx', file), join(nginx, file));
    const key = Bun.spawnSync(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(nginx, 'key.pem'), '-out', join(nginx, 'cert.pem'), '-days', '1', '-subj', '/CN=myconf.example.org']);
    expect(key.exitCode).toBe(0);
    writeFileSync(join(nginx, 'nginx.conf'), `pid ${nginx}/nginx.pid;\nerror_log ${nginx}/logs/error.log;\nevents {}\nhttp {\n  include mime.types;\n  include site.conf;\n}\n`);
    for (const site of ['nginx.conf', 'nginx-fastcgi.conf']) {
      const text = readFileSync(join(deploy, site), 'utf8');
      expect(text).toContain('ssl_certificate /etc/letsencrypt/live/myconf.example.org/fullchain.pem;');
      writeFileSync(join(nginx, 'site.conf'), text.replace('/etc/letsencrypt/live/myconf.example.org/fullchain.pem', join(nginx, 'cert.pem')).replace('/etc/letsencrypt/live/myconf.example.org/privkey.pem', join(nginx, 'key.pem')));
      const check = Bun.spawnSync(['nginx', '-t', '-c', join(nginx, 'nginx.conf'), '-p', `${nginx}/`]);
      expect({ site, exitCode: check.exitCode, output: check.stderr.toString() }).toEqual({
        site,
        exitCode: 0,
        output: `nginx: the configuration file ${nginx}/nginx.conf syntax is ok\nnginx: configuration file ${nginx}/nginx.conf test is successful\n`,
      });
    }
  });

  test('an invalid name, a command\'s name, a folder that is not empty or has no parent: one CommandError, nothing written', async () => {
    using dir = tempDir();
    dir.write({ 'full/keep.txt': 'mine' });
    const cases: [string[], string][] = [
      [['startproject', 'my-conf'], "CommandError: 'my-conf' is not a valid project name. Please make sure the name is a valid identifier.\n"],
      [['startproject', '1conf'], "CommandError: '1conf' is not a valid project name. Please make sure the name is a valid identifier.\n"],
      [['startproject', 'migrate'], "CommandError: 'migrate' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.\n"],
      [['startproject', 'cleanup'], "CommandError: 'cleanup' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.\n"],
      [['startproject', 'confctl'], "CommandError: 'confctl' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.\n"],
      [['startproject', 'help'], "CommandError: 'help' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.\n"],
      [['startproject', 'c'.repeat(33)], `CommandError: '${'c'.repeat(33)}' is longer than 32 characters, which a system user's name cannot be. Please try a shorter name.\n`],
      [['startproject', 'myconf', 'my dir'], `CommandError: '${dir.join('my dir')}' has a space or one of % " ' \\ ; $ \` { } # in it, which the systemd units and nginx sites cannot name: choose another folder.\n`],
      [['startproject', 'myconf', 'full'], `CommandError: '${dir.join('full')}' already exists and is not empty: startproject writes only into a new or empty folder.\n`],
      [['startproject', 'myconf', 'no/such/place'], `CommandError: Destination directory '${dir.join('no', 'such')}' does not exist, please create it first.\n`],
    ];
    for (const [argv, stderr] of cases) expect(await call(argv, { cwd: dir.path, env })).toEqual({ stdout: '', stderr, exitCode: 1 });
    expect(readdirSync(dir.path).sort()).toEqual(['full']);
    expect(readdirSync(dir.join('full'))).toEqual(['keep.txt']);
    // An existing empty folder is filled where it is: its owner and mode stay (root made it for the operator; a mounted volume).
    mkdirSync(dir.join('empty'), { mode: 0o700 });
    const before = statSync(dir.join('empty'));
    const verbose = await call(['startproject', 'myconf', 'empty', '-v', '2', '--no-pretalx-information'], { cwd: dir.path, env });
    expect(verbose).toMatchObject({ exitCode: 0, stderr: '' });
    expect(verbose.stdout.split('\n')).toContain(`Creating ${dir.join('empty', 'deploy', 'nginx.conf')}`);
    expect([...filesBelow(dir.join('empty')).keys()]).toEqual(DEFAULT_FILES);
    const after = statSync(dir.join('empty'));
    expect([after.ino, after.mode & 0o777]).toEqual([before.ino, 0o700]);
  });

  test('--template DIR or ZIP as Django: {{ project_name }} and {{ project_directory }} filled in, project_name paths renamed; a path out of the project is refused', async () => {
    using dir = tempDir();
    dir.write({
      'tpl/confctl.toml': '# {{ project_name }} in {{project_directory}}\n[filesystem]\ndata = "data"\n',
      'tpl/project_name/notes.md': 'About {{ project_name }}.',
      'tpl/logo.png': '\x89PNG {{ project_name }}',
      'tpl/run.sh': '#!/bin/sh\necho {{ project_name }}\n',
    });
    chmodSync(dir.join('tpl', 'run.sh'), 0o750);
    // Not UTF-8 (Latin-1): copied as it is, not rendered into replacement characters.
    writeFileSync(dir.join('tpl', 'latin.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x7b, 0x7b]));
    expect(await call(['startproject', 'fromdir', '--template', 'tpl'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect([...filesBelow(dir.join('fromdir')).entries()].map(([path, bytes]) => [path, bytes.toString()])).toEqual([
      ['confctl.toml', `# fromdir in ${dir.join('fromdir')}\n[filesystem]\ndata = "data"\n`],
      ['fromdir/notes.md', 'About fromdir.'],
      ['latin.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x7b, 0x7b]).toString()],
      ['logo.png', '\x89PNG {{ project_name }}'],
      ['run.sh', '#!/bin/sh\necho fromdir\n'],
    ]);
    expect(statSync(dir.join('fromdir', 'run.sh')).mode & 0o111).not.toBe(0);

    const zip = new JSZip();
    zip.file('template-main/README.md', '# {{ project_name }}');
    zip.file('template-main/deploy/project_name.service', 'User={{ project_name }}');
    writeFileSync(dir.join('tpl.zip'), await zip.generateAsync({ type: 'uint8array' }));
    expect(await call(['startproject', 'fromzip', '--template', 'tpl.zip'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect([...filesBelow(dir.join('fromzip')).entries()].map(([path, bytes]) => [path, bytes.toString()])).toEqual([
      ['README.md', '# fromzip'],
      ['deploy/fromzip.service', 'User=fromzip'],
    ]);

    const evil = new JSZip();
    evil.file('ok.txt', 'fine');
    evil.file('../escaped.txt', 'no');
    writeFileSync(dir.join('evil.zip'), await evil.generateAsync({ type: 'uint8array' }));
    expect(await call(['startproject', 'evil', '--template', 'evil.zip'], { cwd: dir.path, env })).toEqual({
      stdout: '',
      stderr: expect.stringMatching(new RegExp(`^CommandError: ${dir.join('evil.zip').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the template's path ".*" leaves the project folder\\.\\n$`)),
      exitCode: 1,
    });
    expect([existsSync(dir.join('evil')), existsSync(dir.join('escaped.txt'))]).toEqual([false, false]);
    expect(await call(['startproject', 'nothing', '--template', 'missing'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: `CommandError: The template ${dir.join('missing')} does not exist.\n`, exitCode: 1 });

    // A small zip that would inflate past 16 MiB is refused by what it declares, before anything is inflated.
    const bomb = new JSZip();
    bomb.file('zeros.txt', new Uint8Array(20 * 1024 * 1024));
    writeFileSync(dir.join('bomb.zip'), await bomb.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    expect(await call(['startproject', 'bomb', '--template', 'bomb.zip'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: `CommandError: ${dir.join('bomb.zip')}: the template is larger than 16 MiB.\n`, exitCode: 1 });
    writeFileSync(dir.join('empty.zip'), await new JSZip().generateAsync({ type: 'uint8array' }));
    expect(await call(['startproject', 'vacant', '--template', 'empty.zip'], { cwd: dir.path, env })).toEqual({ stdout: '', stderr: `CommandError: The template ${dir.join('empty.zip')} has no files.\n`, exitCode: 1 });
    expect(readdirSync(dir.path).filter((f) => ['bomb', 'vacant'].includes(f) || f.startsWith('.startproject'))).toEqual([]);
  });
});
