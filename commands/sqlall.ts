import { join } from 'node:path';
import { sqlAll } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand(
  'sqlall',
  'Prints the CREATE TABLE, custom SQL (<data dir>/sql/<model>.sql) and CREATE INDEX statements for the given apps.',
  (dialect, apps, ctx) => sqlAll(dialect, apps, join(ctx.settings.dataDir, 'sql')),
);
