import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SLUG_PATTERN } from '../auth/validation.ts';
import { writeAtomically } from '../common/atomic.ts';
import { CommandError } from '../common/errors.ts';
import type { Db } from '../auth/users.ts';
import { eventStylesheet, SCRIPT, STYLESHEET } from './assets.ts';

/** rebuild: the shared assets (embedded in the binary) into the static folder; `clear` empties it first. */
export function writeStaticAssets(dir: string, clear: boolean): string[] {
  if (clear && existsSync(dir)) for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const written = { 'confctl.css': STYLESHEET, 'confctl.js': SCRIPT };
  for (const [name, content] of Object.entries(written)) writeAtomically(join(dir, name), content);
  return Object.keys(written);
}

/** regenerate_css: `<static>/<slug>/event.css` for one event, or for every event with a colour. */
export async function regenerateEventCss(db: Db, dir: string, slug?: string): Promise<string[]> {
  let query = db.selectFrom('event_event').select(['slug', 'primary_color']).orderBy('slug');
  if (slug !== undefined) query = query.where((eb) => eb(eb.fn('lower', ['slug']), '=', slug.toLowerCase()));
  else query = query.where('primary_color', 'is not', null);
  const events = await query.execute();
  if (slug !== undefined && events.length === 0) throw new CommandError(`Could not find event with slug "${slug}".`);
  for (const event of events) {
    if (!SLUG_PATTERN.test(event.slug)) throw new CommandError(`The event slug "${event.slug}" is not safe as a folder name.`);
    mkdirSync(join(dir, event.slug), { recursive: true });
    writeAtomically(join(dir, event.slug, 'event.css'), eventStylesheet(event.primary_color));
  }
  return events.map((e) => e.slug);
}
