import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_event_stamps.ts';
import * as m0003 from './0003_event_stamps_by_time.ts';
import * as m0004 from './0004_upstream_fields.ts';
import * as m0005 from './0005_feed_days_and_tracks.ts';
import * as m0006 from './0006_one_stamp_per_transaction.ts';
import * as m0007 from './0007_text_in_byte_order.ts';

/** A migration and the one-line description `migrate --plan` prints. */
export interface DescribedMigration extends Migration {
  readonly description: string;
}

/**
 * Every migration, in order, bundled into the binary. Never read from disk at run time.
 * `makemigrations` adds new entries above the marker line.
 */
export const migrations: Readonly<Record<string, DescribedMigration>> = {
  '0001_initial': m0001,
  '0002_event_stamps': m0002,
  '0003_event_stamps_by_time': m0003,
  '0004_upstream_fields': m0004,
  '0005_feed_days_and_tracks': m0005,
  '0006_one_stamp_per_transaction': m0006,
  '0007_text_in_byte_order': m0007,
  // makemigrations: new migrations above this line
};
