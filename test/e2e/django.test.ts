import { beforeAll, describe, expect, test } from 'bun:test';
import { call } from '../support/cli.ts';
import { initialisedDatabase, migratedDatabase } from '../support/db.ts';
import { django, requireDjango, writeDjangoProject } from '../support/django.ts';
import { postgresServer } from '../support/postgres.ts';
import { tempDir, type TempDir } from '../support/tmp.ts';

/**
 * Real Django (Debian's python3-django) as the peer: a throwaway project whose unmanaged models use
 * confctl's tables. Data goes confctl → Django → confctl and must survive unchanged.
 */
describe('fixtures with Django', () => {
  let project: TempDir;
  beforeAll(async () => {
    requireDjango();
    project = tempDir('confctl-django-');
    await writeDjangoProject(project.path);
    return () => project[Symbol.dispose]();
  });

  test("Django's loaddata reads confctl's dump, and confctl's loaddata reads Django's", async () => {
    using source = tempDir();
    using viaDjango = tempDir();
    using back = tempDir();
    const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '11', '-v', '0'], { cwd: source.path, env });
    await call(['create_event', '--slug', 'unicode', '--name', 'Ünïcødé "Konferenz" <2026>', '--date-from', '2026-08-01', '--date-to', '2026-08-02', '-v', '0'], { cwd: source.path, env });
    const original = (await call(['dumpdata', '-o', 'confctl.json'], { cwd: source.path })).exitCode;
    expect(original).toBe(0);
    const confctlDump = (await call(['dumpdata'], { cwd: source.path })).stdout;

    // confctl → Django: Django loads confctl's fixture into an empty confctl-schema database.
    const target = await migratedDatabase(viaDjango.path);
    const loaded = django(project.path, target, ['loaddata', source.join('confctl.json')]);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toMatch(/^Installed \d+ object\(s\) from 1 fixture\(s\)\n$/);
    expect((await call(['dumpdata'], { cwd: viaDjango.path })).stdout).toBe(confctlDump);

    // Django → confctl: Django dumps, confctl loads into another empty database.
    const dumped = django(project.path, target, ['dumpdata', '--indent', '2', '-o', back.join('django.json')]);
    expect(dumped.exitCode).toBe(0);
    await migratedDatabase(back.path);
    const reloaded = await call(['loaddata', 'django.json'], { cwd: back.path });
    expect(reloaded.stderr).toBe('');
    expect(reloaded.exitCode).toBe(0);
    expect((await call(['dumpdata'], { cwd: back.path })).stdout).toBe(confctlDump);

    // And Django's XML serializer, read by confctl.
    using xml = tempDir();
    expect(django(project.path, target, ['dumpdata', '--format', 'xml', '-o', xml.join('django.xml')]).exitCode).toBe(0);
    await migratedDatabase(xml.path);
    const fromXml = await call(['loaddata', 'django.xml'], { cwd: xml.path });
    expect(fromXml.stderr).toBe('');
    expect((await call(['dumpdata'], { cwd: xml.path })).stdout).toBe(confctlDump);
  });

  test("on PostgreSQL: Django loads confctl's dump into the database confctl made, and dumps it back for confctl; each side's next insert follows the other's loaded ids", async () => {
    using source = tempDir();
    using dir = tempDir();
    const pg = await postgresServer();
    const env = { CONFCTL_NOW: '2026-05-01T09:00:00Z' };
    await initialisedDatabase(source.path);
    await call(['create_test_event', '--seed', '11', '-v', '0'], { cwd: source.path, env });
    await call(['create_event', '--slug', 'unicode', '--name', 'Ünïcødé "Konferenz" <2026>', '--date-from', '2026-08-01', '--date-to', '2026-08-02', '-v', '0'], { cwd: source.path, env });
    expect((await call(['dumpdata', '-o', 'confctl.json'], { cwd: source.path })).exitCode).toBe(0);
    const confctlDump = (await call(['dumpdata'], { cwd: source.path })).stdout;
    const onServer = (url: string, ...argv: string[]) => call([...argv, '--database', url], { cwd: dir.path, env });

    // confctl → Django: Django (psycopg2) loads confctl's fixture into the PostgreSQL database confctl migrated.
    const target = pg.createDatabase();
    expect((await onServer(target, 'migrate', '-v', '0')).exitCode).toBe(0);
    const loaded = django(project.path, target, ['loaddata', source.join('confctl.json')]);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toMatch(/^Installed \d+ object\(s\) from 1 fixture\(s\)\n$/);
    expect((await onServer(target, 'dumpdata')).stdout).toBe(confctlDump);
    // Django reset the sequences after loading: confctl's next event takes the next id.
    const events = Math.max(...[...confctlDump.matchAll(/"model":"event\.event","pk":(\d+)/g)].map((m) => Number(m[1])));
    expect((await onServer(target, 'create_event', '--slug', 'next', '--name', 'Next', '--date-from', '2026-09-01', '--date-to', '2026-09-02', '-v', '0')).exitCode).toBe(0);
    expect(pg.psql(/^postgres:\/\/\/(\w+)\?/.exec(target)![1]!, "SELECT id FROM event_event WHERE slug = 'next'")).toBe(`${events + 1}\n`);

    // Django → confctl: Django dumps the PostgreSQL database, confctl loads it into another; the same dump.
    const dumped = django(project.path, target, ['dumpdata', '--indent', '2', '-o', dir.join('django.json')]);
    expect(dumped).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const back = pg.createDatabase();
    expect((await onServer(back, 'migrate', '-v', '0')).exitCode).toBe(0);
    const reloaded = await onServer(back, 'loaddata', dir.join('django.json'));
    expect({ stderr: reloaded.stderr, exitCode: reloaded.exitCode }).toEqual({ stderr: '', exitCode: 0 });
    expect((await onServer(back, 'dumpdata')).stdout).toBe((await onServer(target, 'dumpdata')).stdout);
    // confctl set the sequences after loading rows with explicit keys: Django's next room takes the next id.
    const rooms = Number(pg.psql(/^postgres:\/\/\/(\w+)\?/.exec(back)![1]!, 'SELECT max(id) FROM schedule_room').trim());
    const made = django(project.path, back, ['shell', '-c', "from schedule.models import Room; print(Room.objects.create(event_id=1, name={'en': 'Made by Django'}, position=0, hidden=False).id)"]);
    expect(made).toEqual({ stdout: `${rooms + 1}\n`, stderr: '', exitCode: 0 });
  }, 60_000);
});
