import { sqlCreate } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlindexes', 'Prints the CREATE INDEX SQL statements for the given apps.', (dialect, apps) => sqlCreate(dialect, apps, { tables: false, indexes: true }));
