import { describe, expect, test } from 'bun:test';
import { loadExport } from '../../core/export/data.ts';
import { BACKENDS, newSite } from '../support/site.ts';

for (const backend of BACKENDS) describe(`loadExport (${backend})`, () => {
  test("reads the slots of the current (and WIP) version, and of older ones only when asked: all, or by name", async () => {
    await using dir = await newSite(backend);
    await dir.initialised();
    await dir.call(['create_test_event', '--seed', '5', '-v', '0'], { env: { CONFCTL_NOW: '2026-05-01T09:00:00Z' } });
    for (const [id, version, day] of [[3, 'v2', '02'], [4, 'v3', '03']] as const) {
      await dir.run(`INSERT INTO schedule_schedule (id, event_id, version, published) SELECT ${id}, event_id, '${version}', '2026-05-${day} 09:00:00' FROM schedule_schedule WHERE id = 1`);
      await dir.run(`INSERT INTO schedule_talkslot (submission_id, room_id, schedule_id, start, "end", is_visible) SELECT submission_id, room_id, ${id}, start, "end", is_visible FROM schedule_talkslot WHERE schedule_id = 1`);
    }
    const db = await dir.open();
    try {
      const shape = (data: Awaited<ReturnType<typeof loadExport>>) => data.versions.map((v) => `${v.version} ${v.loaded} ${v.slots.length > 0}`);
      expect(shape(await loadExport(db, 'democon'))).toEqual(['v3 true true', 'v2 true true', 'v1.0 true true']);
      expect(shape(await loadExport(db, 'democon', { versions: [] }))).toEqual(['v3 true true', 'v2 false false', 'v1.0 false false']);
      expect(shape(await loadExport(db, 'democon', { versions: ['v1.0'], includeWip: true }))).toEqual(['v3 true true', 'v2 false false', 'v1.0 true true', 'wip true true']);
      // The current version's slots, talks and speakers are the same however many older versions are read.
      const all = await loadExport(db, 'democon');
      const some = await loadExport(db, 'democon', { versions: [] });
      expect(some.current).toEqual(all.current);
      expect([some.talks, some.speakers]).toEqual([all.talks, all.speakers]);
    } finally {
      await db.destroy();
    }
  });
});
