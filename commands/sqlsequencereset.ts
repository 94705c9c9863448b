import { sqlSequenceReset } from '../core/database/sqlgen.ts';
import { appSqlCommand } from './_kit/sql.ts';

export default appSqlCommand('sqlsequencereset', 'Prints the SQL statements that set the id sequences of the given apps to their largest ids.', sqlSequenceReset);
