import { describe, expect, test } from 'bun:test';
import { BACKENDS, newSite, type Site } from '../support/site.ts';

const env = { CONFCTL_NOW: '2026-03-02T09:00:00Z' };

/** A demo event on 2026-03-01..03 (stage schedule, "today" 2026-03-02) with an availability and a type deadline. */
async function demo(site: Site) {
  await site.initialised();
  await site.call(['create_test_event', '--seed', '9', '-v', '0'], { env });
  await site.run("INSERT INTO schedule_availability (event_id, room_id, start, \"end\") SELECT e.id, r.id, '2026-03-01 07:00:00', '2026-03-01 17:00:00' FROM event_event e JOIN schedule_room r ON r.event_id = e.id LIMIT 1");
  await site.run("UPDATE submission_submissiontype SET deadline = '2026-01-01 11:00:00' WHERE default_duration = 90");
}

for (const backend of BACKENDS) {
  describe(`move_event (${backend})`, () => {
    test('moves the dates, every slot of every schedule, availabilities and deadlines', async () => {
      await using site = await newSite(backend);
      await demo(site);
      const slotsBefore = await site.query<{ id: number; start: string }>('SELECT id, start FROM schedule_talkslot ORDER BY id');
      const cfpBefore = (await site.query<{ deadline: string }>('SELECT deadline FROM submission_cfp'))[0]!.deadline;
      const result = await site.call(['move_event', '--event', 'democon', '--date', '2026-03-08'], { env });
      expect(result).toEqual({ stdout: 'Moved "DemoCon" by +7 days: 72 slots in 2 schedule versions.\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT date_from, date_to FROM event_event')).toEqual([{ date_from: '2026-03-08', date_to: '2026-03-10' }]);
      const slotsAfter = await site.query<{ id: number; start: string }>('SELECT id, start FROM schedule_talkslot ORDER BY id');
      expect(slotsAfter.map((s) => s.id)).toEqual(slotsBefore.map((s) => s.id));
      for (const [i, slot] of slotsAfter.entries()) {
        expect(Date.parse(`${slot.start}Z`) - Date.parse(`${slotsBefore[i]!.start}Z`)).toBe(7 * 86400000);
      }
      expect(await site.query('SELECT start, "end" FROM schedule_availability')).toEqual([{ start: '2026-03-08 07:00:00', end: '2026-03-08 17:00:00' }]);
      expect(await site.query('SELECT deadline FROM submission_submissiontype WHERE deadline IS NOT NULL')).toEqual([{ deadline: '2026-01-08 11:00:00' }]);
      const cfpAfter = (await site.query<{ deadline: string }>('SELECT deadline FROM submission_cfp'))[0]!.deadline;
      expect(Date.parse(`${cfpAfter}Z`) - Date.parse(`${cfpBefore}Z`)).toBe(7 * 86400000);
    });

    test('times keep their local time across a daylight-saving change', async () => {
      await using site = await newSite(backend);
      await demo(site);
      // 09:00 in Berlin is 08:00 UTC on 1 March and 07:00 UTC in April (summer time from 29 March).
      expect(await site.query('SELECT min(start) AS first FROM schedule_talkslot')).toEqual([{ first: '2026-03-01 08:00:00' }]);
      const result = await site.call(['move_event', '--event', 'democon', '--date', '2026-04-05'], { env });
      expect(result.stdout).toBe('Moved "DemoCon" by +35 days: 72 slots in 2 schedule versions.\n');
      expect(await site.query('SELECT min(start) AS first FROM schedule_talkslot')).toEqual([{ first: '2026-04-05 07:00:00' }]);
    });

    test('without --date it moves to today, backwards too; the slug may be in any case', async () => {
      await using site = await newSite(backend);
      await demo(site);
      await site.call(['move_event', '--event', 'democon', '--date', '2026-03-05', '-v', '0'], { env });
      const result = await site.call(['move_event', '--event', 'DemoCon'], { env });
      expect(result).toEqual({ stdout: 'Moved "DemoCon" by -3 days: 72 slots in 2 schedule versions.\n', stderr: '', exitCode: 0 });
      expect(await site.query('SELECT date_from FROM event_event')).toEqual([{ date_from: '2026-03-02' }]);
    });

    test('a move by zero days says so and writes nothing', async () => {
      await using site = await newSite(backend);
      await demo(site);
      const before = await site.dump();
      expect(await site.call(['move_event', '--event', 'democon', '--date', '2026-03-01'], { env })).toEqual({
        stdout: '"DemoCon" already starts on 2026-03-01: nothing to move.\n',
        stderr: '',
        exitCode: 0,
      });
      expect(await site.dump()).toBe(before);
    });

    test('an unknown event or a bad date is one line, and nothing changes', async () => {
      await using site = await newSite(backend);
      await demo(site);
      const before = await site.dump();
      expect(await site.call(['move_event', '--event', 'nope'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: Could not find event with slug "nope".\n',
        exitCode: 1,
      });
      expect(await site.call(['move_event', '--event', 'democon', '--date', '08.03.2026'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: --date must be a date as YYYY-MM-DD, not "08.03.2026".\n',
        exitCode: 1,
      });
      expect(await site.call(['move_event'], { env })).toEqual({
        stdout: '',
        stderr: 'CommandError: Missing required argument: --event\n',
        exitCode: 1,
      });
      expect(await site.dump()).toBe(before);
    });
  });
}
