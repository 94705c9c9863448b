import type { Settings } from '../common/settings.ts';
import type { PeriodicTask } from '../housekeeping/periodic.ts';
import type { LoadedApp } from './loader.ts';
import { appDatabase } from './statement.ts';

/** The installed apps' periodic tasks, as runperiodic runs its own: <label>:<name>, in a transaction, under its lock. */
export function appTasks(apps: readonly LoadedApp[], settings: Settings): PeriodicTask[] {
  return apps.flatMap((app) =>
    (app.definition.periodic ?? []).map((task) => ({
      name: `${app.label}:${task.name}`,
      minutes: task.every,
      timeoutMinutes: Math.max(30, task.every),
      async run(db, clock) {
        const said = await task.run({ ...appDatabase(db), now: () => clock.now(), settings: settings.values });
        return typeof said === 'string' && said !== '' ? said : 'done';
      },
    })),
  );
}
