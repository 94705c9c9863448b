import { sqlClear, sqlCreate } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlreset', 'Prints the DROP TABLE and then the CREATE TABLE SQL statements for the given apps.', async (apps) => [
  ...(await sqlClear(apps)),
  ...(await sqlCreate(apps, { tables: true, indexes: true })),
]);
