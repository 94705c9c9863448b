import { Database as Sqlite } from 'bun:sqlite';
import type { PostgresServer } from './postgres.ts';

/**
 * A database schema in one vocabulary, for proving that the migrations make the same schema on
 * SQLite and on PostgreSQL: per table its columns (name, type, NOT NULL, default), primary key,
 * unique constraints, named indexes, foreign keys and checks. Where the two spell the same thing
 * differently it is written one way: `timestamp with time zone` and SQLite's `datetime` are
 * `timestamptz`; `character varying(n)` is `varchar(n)`; a boolean default `false` is `0`; a
 * key's `serial` is `integer`; SQLite's 64-bit `integer` and PostgreSQL's `bigint` are `integer`;
 * a case-insensitive unique column (`COLLATE NOCASE` / `lower(column)`) is `lower(column)`; checks
 * and index conditions are compared without quotes, parentheses, casts and spaces. What differs on
 * purpose is not in the model: PostgreSQL's foreign keys are checked at commit (as Django's are).
 */
export interface TableModel {
  columns: string[];
  primaryKey: string;
  uniques: string[];
  indexes: string[];
  foreignKeys: string[];
  checks: string[];
}
export type SchemaModel = Record<string, TableModel>;

const squeeze = (expr: string) =>
  expr
    .toLowerCase()
    .replace(/::[a-z ]+(\(\d+(,\s*\d+)?\))?/g, '')
    .replace(/^check\s*/, '')
    .replace(/[()"\s]/g, '');

function canonicalType(type: string): string {
  const t = type.toLowerCase().replace(/\s*,\s*/g, ',');
  if (t === 'datetime' || t === 'timestamp with time zone') return 'timestamptz';
  if (t === 'bigint' || t === 'serial') return 'integer';
  if (t.startsWith('character varying')) return t.replace('character varying', 'varchar');
  if (t.startsWith('character(')) return t.replace('character', 'char');
  if (t.startsWith('decimal')) return t.replace('decimal', 'numeric');
  return t;
}

function canonicalDefault(value: string | null, type: string): string {
  if (value === null || value.startsWith('nextval(')) return '';
  let v = value.replace(/::[a-z ]+(\(\d+\))?$/i, '');
  if (type === 'boolean') v = v === 'true' || v === '1' ? '1' : v === 'false' || v === '0' ? '0' : v;
  return ` default ${v}`;
}

/** The checks written in an SQLite CREATE TABLE statement (after ALTER TABLE ADD COLUMN too). */
function sqliteChecks(createSql: string): string[] {
  const checks: string[] = [];
  const re = /\bcheck\s*\(/gi;
  let match: RegExpExecArray | null;
  while ((match = re.exec(createSql)) !== null) {
    let depth = 1;
    let i = match.index + match[0].length;
    for (; i < createSql.length && depth > 0; i++) depth += createSql[i] === '(' ? 1 : createSql[i] === ')' ? -1 : 0;
    checks.push(squeeze(createSql.slice(match.index + match[0].length, i - 1)));
  }
  return checks.sort();
}

export function sqliteSchema(path: string): SchemaModel {
  const db = new Sqlite(path, { readonly: true });
  try {
    const model: SchemaModel = {};
    const tables = db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const columns = db.query(`PRAGMA table_xinfo("${name}")`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
      const types = new Map(columns.map((c) => [c.name, canonicalType(c.type)]));
      const indexes = db.query(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number; origin: string; partial: number }[];
      const indexColumns = (index: string) =>
        (db.query(`PRAGMA index_xinfo("${index}")`).all() as { name: string | null; key: number; coll: string }[])
          .filter((c) => c.key === 1)
          .map((c) => (c.coll === 'NOCASE' ? `lower(${c.name})` : c.name))
          .join(',');
      const indexSql = (index: string) => (db.query('SELECT sql FROM sqlite_schema WHERE name = ?').get(index) as { sql: string | null } | null)?.sql ?? '';
      model[name] = {
        columns: columns.map((c) => `${c.name} ${types.get(c.name)}${c.notnull || c.pk ? ' not null' : ''}${canonicalDefault(c.dflt_value, types.get(c.name)!)}`),
        primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name).join(','),
        uniques: indexes.filter((i) => i.origin === 'u').map((i) => indexColumns(i.name)).sort(),
        indexes: indexes
          .filter((i) => i.origin === 'c')
          .map((i) => `${i.name}${i.unique ? ' unique' : ''} (${indexColumns(i.name)})${i.partial ? ` where ${squeeze(indexSql(i.name).replace(/^[\s\S]*\bWHERE\b/i, ''))}` : ''}`)
          .sort(),
        foreignKeys: (db.query(`PRAGMA foreign_key_list("${name}")`).all() as { table: string; from: string; to: string; on_delete: string }[])
          .map((f) => `${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`)
          .sort(),
        checks: sqliteChecks(sql),
      };
    }
    return model;
  } finally {
    db.close();
  }
}

export function postgresSchema(server: PostgresServer, database: string): SchemaModel {
  const json = <T>(sql: string): T[] => JSON.parse(server.psql(database, `SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM (${sql}) q`)) as T[];
  const columns = json<{ table: string; name: string; type: string; notnull: boolean; dflt: string | null }>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`);
  const constraints = json<{ table: string; type: string; def: string; columns: string }>(`
    SELECT c.relname AS table, k.contype AS type, pg_get_constraintdef(k.oid) AS def,
      (SELECT string_agg(a.attname, ',' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS columns
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`);
  const indexes = json<{ table: string; name: string; unique: boolean; def: string }>(`
    SELECT c.relname AS table, i.relname AS name, x.indisunique AS unique, pg_get_indexdef(x.indexrelid) AS def
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`);
  const model: SchemaModel = {};
  for (const c of columns) {
    const table = (model[c.table] ??= { columns: [], primaryKey: '', uniques: [], indexes: [], foreignKeys: [], checks: [] });
    const type = canonicalType(c.type);
    table.columns.push(`${c.name} ${type}${c.notnull ? ' not null' : ''}${canonicalDefault(c.dflt, type)}`);
  }
  for (const k of constraints) {
    const table = model[k.table]!;
    if (k.type === 'p') table.primaryKey = k.columns;
    else if (k.type === 'u') table.uniques.push(k.columns);
    else if (k.type === 'c') table.checks.push(squeeze(k.def));
    else if (k.type === 'f') {
      const [, target, to, onDelete] = /REFERENCES (\w+)\((\w+)\)(?: ON DELETE (CASCADE|SET NULL|RESTRICT|SET DEFAULT))?/.exec(k.def)!;
      table.foreignKeys.push(`${k.columns} -> ${target}.${to} on delete ${(onDelete ?? 'no action').toLowerCase()}`);
    }
  }
  for (const i of indexes) {
    const [, cols = '', where] = /USING \w+ \((.*?)\)(?: WHERE (.*))?$/.exec(i.def)!;
    const columnList = cols.split(/,\s*/).map((col) => squeeze(col).replace(/^lower(.*)$/, 'lower($1)')).join(',');
    model[i.table]!.indexes.push(`${i.name}${i.unique ? ' unique' : ''} (${columnList})${where ? ` where ${squeeze(where)}` : ''}`);
  }
  for (const table of Object.values(model)) for (const list of [table.uniques, table.indexes, table.foreignKeys, table.checks]) list.sort();
  return Object.fromEntries(Object.entries(model).sort(([a], [b]) => (a < b ? -1 : 1)));
}
