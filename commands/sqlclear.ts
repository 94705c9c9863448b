import { sqlClear } from '../core/sqlgen.ts';
import { appSqlCommand } from './_sql.ts';

export default appSqlCommand('sqlclear', 'Prints the DROP TABLE SQL statements for the given apps.', sqlClear);
