import { sqlCreate } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlall', 'Prints the CREATE TABLE and CREATE INDEX SQL statements for the given apps.', (apps) => sqlCreate(apps, { tables: true, indexes: true }));
