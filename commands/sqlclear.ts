import { sqlClear } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlclear', 'Prints the DROP TABLE SQL statements for the given apps.', sqlClear);
