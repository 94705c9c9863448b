import { sqlClear, sqlCreate } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlreset', 'Prints the DROP TABLE and then the CREATE TABLE SQL statements for the given apps.', async (dialect, apps) => [
  ...(await sqlClear(dialect, apps)),
  ...(await sqlCreate(dialect, apps, { tables: true, indexes: true })),
]);
