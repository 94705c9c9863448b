import type { Kysely } from 'kysely';
import { backendOf, queries, rawStatements } from '../../db/connection.ts';
import type { Database } from '../../db/schema.ts';

/**
 * inspectdb: a TypeScript module with a kysely `Database` interface for any SQLite database or the
 * current schema of a PostgreSQL database. On SQLite, types follow its affinity rules on the declared
 * column types; where the declared type says more than SQLite stores (boolean, date, decimal, JSON) or
 * nothing at all, a comment says it is a guess. On PostgreSQL, types are what confctl's connection
 * reads (booleans as 0 or 1, date-times as UTC text, 64-bit integers and numerics as numbers), so that
 * confctl's own schema gives the same types on both.
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
  /** SQLite: the CREATE statement; PostgreSQL: the table's check constraints (where json_valid() marks JSON text). */
  sql: string;
  backend: 'sqlite' | 'postgres';
}

export async function inspectTables(db: Kysely<Database>, only: readonly string[], includeViews: boolean): Promise<{ tables: Inspected[]; missing: string[] }> {
  if (backendOf(db) === 'postgres') return inspectPostgres(db, only, includeViews);
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
    backend: 'sqlite' as const,
  }));
  return { tables, missing };
}

/** The tables (and views) of the connection's current schema, from the catalogues (which, unlike information_schema, show tables of other owners too). */
async function inspectPostgres(db: Kysely<Database>, only: readonly string[], includeViews: boolean): Promise<{ tables: Inspected[]; missing: string[] }> {
  const q = queries(db);
  const all = (
    await q.all<{ oid: number; name: string; kind: string }>(
      "SELECT c.oid::int8 AS oid, c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname COLLATE \"C\"",
    )
  )
    .map((t) => ({ oid: t.oid, name: t.name, type: t.kind === 'v' || t.kind === 'm' ? ('view' as const) : ('table' as const) }))
    .filter((t) => includeViews || t.type === 'table' || only.includes(t.name));
  const chosen = only.length === 0 ? all : all.filter((t) => only.includes(t.name));
  const missing = only.filter((name) => !all.some((t) => t.name === name));
  const tables: Inspected[] = [];
  for (const t of chosen) {
    const columns = await q.all<{ name: string; type: string; notnull: number; dflt: string | null; pk: number | null }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt,
              (SELECT array_position(i.indkey::int2[], a.attnum) FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary) AS pk
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ?::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      t.oid,
    );
    const checks = await q.values("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND conrelid = ?::int8::oid", t.oid);
    tables.push({
      table: t.name,
      kind: t.type,
      sql: checks.map(([definition]) => String(definition)).join('\n'),
      columns: columns.map((c) => ({ name: c.name, type: c.type, notnull: Number(c.notnull), dflt_value: c.dflt, pk: Number(c.pk ?? 0) })),
      backend: 'postgres',
    });
  }
  return { tables, missing };
}

/** A PostgreSQL column's type as confctl's connection reads it. */
function postgresColumnType(column: Column, json: boolean): { type: string; note?: string } {
  const declared = column.type.toLowerCase().replace(/\(.*?\)/, '');
  if (['smallint', 'integer', 'bigint', 'real', 'double precision'].includes(declared)) return { type: 'number' };
  if (['text', 'character varying', 'character', 'uuid', 'citext'].includes(declared)) return json ? { type: 'string', note: 'JSON text' } : { type: 'string' };
  if (declared === 'boolean') return { type: '0 | 1', note: 'a boolean: confctl reads it as 0 or 1' };
  if (declared.startsWith('timestamp')) return { type: 'string', note: `${declared}: confctl reads it as UTC text (YYYY-MM-DD HH:MM:SS)` };
  if (declared === 'date') return { type: 'string', note: 'date: read as text (YYYY-MM-DD)' };
  if (declared === 'numeric') return { type: 'number', note: 'numeric: confctl reads it as a number' };
  if (declared === 'bytea') return { type: 'Uint8Array' };
  if (declared === 'json' || declared === 'jsonb') return { type: 'unknown', note: `${column.type}: parsed by the driver` };
  return { type: 'string', note: `${column.type}: read as the driver's text, a guess` };
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
  if (table.backend === 'postgres') return postgresColumnType(column, json);
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
