import { sqlCreate } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sql', 'Prints the CREATE TABLE SQL statements for the given apps.', (dialect, apps) => sqlCreate(dialect, apps, { tables: true, indexes: false }));
