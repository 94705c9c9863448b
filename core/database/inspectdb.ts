import type { Kysely } from 'kysely';
import { rawStatements } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

/**
 * inspectdb: a TypeScript module with a kysely `Database` interface for any SQLite database. Types
 * follow SQLite's affinity rules on the declared column types; where the declared type says more
 * than SQLite stores (boolean, date, decimal, JSON) or nothing at all, a comment says it is a guess.
 */
interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface Inspected {
  table: string;
  kind: 'table' | 'view';
  columns: Column[];
  sql: string;
}

export function inspectTables(db: Kysely<Database>, only: readonly string[], includeViews: boolean): { tables: Inspected[]; missing: string[] } {
  const raw = rawStatements(db);
  const all = raw
    .prepare("SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all<{ name: string; type: 'table' | 'view'; sql: string | null }>()
    .filter((t) => includeViews || t.type === 'table' || only.includes(t.name));
  const chosen = only.length === 0 ? all : all.filter((t) => only.includes(t.name));
  const missing = only.filter((name) => !all.some((t) => t.name === name));
  const tables = chosen.map((t) => ({
    table: t.name,
    kind: t.type,
    sql: t.sql ?? '',
    columns: raw.prepare(`PRAGMA table_info(${JSON.stringify(t.name)})`).all<Column>(),
  }));
  return { tables, missing };
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const reserved = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with']);

/** A property name as TypeScript needs it: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return identifier.test(name) ? name : JSON.stringify(name);
}

function interfaceName(table: string, taken: Set<string>): string {
  let name = table
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  if (name === '' || /^\d/.test(name)) name = `Table${name}`;
  if (reserved.has(name.toLowerCase()) || ['Database', 'Generated', 'ColumnType'].includes(name)) name = `${name}Table`;
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/** The TypeScript type of a column and, where it is a guess, why. */
export function columnType(column: Column, table: Inspected): { type: string; note?: string } {
  const declared = column.type.toUpperCase();
  const json = new RegExp(`json_valid\\(\\s*"?${column.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*\\)`, 'i').test(table.sql);
  if (declared.includes('INT')) return { type: 'number' };
  if (declared.includes('CHAR') || declared.includes('CLOB') || declared.includes('TEXT')) {
    return json ? { type: 'string', note: 'JSON text' } : { type: 'string' };
  }
  if (declared.includes('BLOB')) return { type: 'Uint8Array' };
  if (declared === '') return { type: 'unknown', note: 'no declared type: SQLite may hold anything here' };
  if (declared.includes('REAL') || declared.includes('FLOA') || declared.includes('DOUB')) return { type: 'number' };
  if (/^BOOL/.test(declared)) return { type: '0 | 1', note: 'a boolean: SQLite stores 0 or 1' };
  if (/^(DATE|TIME)/.test(declared)) return { type: 'string', note: `${column.type}: stored as text (confctl and Django write ISO 8601)` };
  if (/^(DECIMAL|NUMERIC)/.test(declared)) return { type: 'number', note: `${column.type}: SQLite hands decimals back as numbers` };
  if (declared.includes('JSON')) return { type: 'string', note: 'JSON text' };
  return { type: 'number', note: `declared "${column.type}": numeric affinity, a guess` };
}

export function renderKyselyModule(source: string, tables: readonly Inspected[], missing: readonly string[]): string {
  const taken = new Set<string>();
  const names = new Map(tables.map((t) => [t.table, interfaceName(t.table, taken)]));
  let usesGenerated = false;
  const blocks = tables.map((t) => {
    const pkColumns = t.columns.filter((c) => c.pk > 0);
    const lines = [`/** ${t.kind === 'view' ? 'View' : 'Table'} ${JSON.stringify(t.table)}. */`, `export interface ${names.get(t.table)} {`];
    for (const column of t.columns) {
      const { type, note } = columnType(column, t);
      const rowid = pkColumns.length === 1 && column.pk === 1 && column.type.toUpperCase() === 'INTEGER' && t.kind === 'table';
      const nullable = column.notnull === 0 && column.pk === 0 && type !== 'unknown';
      let full = nullable ? `${type} | null` : type;
      if ((rowid || column.dflt_value !== null) && t.kind === 'table') {
        full = `Generated<${full}>`;
        usesGenerated = true;
      }
      lines.push(`  ${propertyName(column.name)}: ${full};${note ? ` // ${note}` : ''}`);
    }
    lines.push('}');
    return lines.join('\n');
  });
  const header = [
    `// Kysely types for ${source}, written by \`confctl inspectdb\`.`,
    '// Review before use: types come from the declared column types; comments mark guesses.',
    ...missing.map((name) => `// Unable to inspect table ${JSON.stringify(name)}: it does not exist.`),
  ];
  const database = ['export interface Database {', ...tables.map((t) => `  ${propertyName(t.table)}: ${names.get(t.table)};`), '}'];
  return [
    ...header,
    ...(usesGenerated ? ["import type { Generated } from 'kysely';"] : []),
    '',
    ...blocks.flatMap((b) => [b, '']),
    ...database,
    '',
  ].join('\n');
}
