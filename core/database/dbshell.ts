import { rawStatements } from '../../db/connection.ts';
import type { PostgresTarget } from '../common/database-url.ts';
import type { Env } from '../common/io.ts';
import type { Db } from '../auth/users.ts';
import { renderTable } from '../common/table.ts';

/**
 * Splits SQL text into complete statements at semicolons outside quotes, brackets and comments
 * (what sqlite3_complete decides); the rest is an unfinished statement.
 */
export function splitStatements(text: string): { statements: string[]; rest: string } {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === close) {
          if (close !== ']' && text[j + 1] === close) j++;
          else break;
        }
      }
      i = j + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === ';') {
      const statement = text.slice(start, i).trim();
      if (statement) statements.push(statement);
      start = ++i;
    } else i++;
  }
  const rest = text.slice(start);
  // A remainder of only comments and blanks is not an unfinished statement.
  const blank = rest.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
  return { statements, rest: blank ? '' : rest };
}

export interface ShellOutput {
  out(text: string): void;
  error(text: string): void;
}

/** Runs one statement, printing its rows as a table; errors are printed, not thrown. */
export function runStatement(db: Db, sql: string, output: ShellOutput): boolean {
  try {
    const statement = rawStatements(db).prepare(sql);
    if (statement.columns.length === 0) {
      statement.run();
      return true;
    }
    const rows = statement.values();
    const shown = rows.map((row) => row.map((v) => (v === null ? 'NULL' : v instanceof Uint8Array ? `<${v.byteLength} bytes>` : String(v))));
    output.out(renderTable(statement.columns, shown));
    return true;
  } catch (error) {
    output.error(`Error: ${(error as Error).message}`);
    return false;
  }
}

/** The dot-commands of the built-in prompt; returns false for .quit. */
export function runDotCommand(db: Db, line: string, output: ShellOutput): boolean {
  const [command, argument] = line.trim().split(/\s+/, 2);
  const raw = rawStatements(db);
  switch (command) {
    case '.quit':
    case '.exit':
      return false;
    case '.tables':
      output.out(
        `${raw
          .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .values()
          .map(([n]) => n)
          .join('  ')}\n`,
      );
      return true;
    case '.schema': {
      const rows = raw
        .prepare(`SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ${argument ? 'AND tbl_name = ?' : ''} ORDER BY rowid`)
        .values(...(argument ? [argument] : []));
      output.out(rows.map(([sql]) => `${sql};\n`).join(''));
      return true;
    }
    case '.help':
      output.out('.tables            List the tables and views\n.schema [TABLE]    Show the CREATE statements\n.quit              Leave (also .exit, Ctrl-D)\nSQL statements end with ";".\n');
      return true;
    default:
      output.error(`Error: unknown command "${command}". Try ".help".`);
      return true;
  }
}

/**
 * psql on a PostgreSQL database, as Django's dbshell runs it: the connection in libpq's PG*
 * variables, so that the password is never on a command line another user could read.
 */
export function psqlCommand(psql: string, target: PostgresTarget, args: readonly string[], env: Env): { argv: string[]; env: Record<string, string | undefined> } {
  return {
    argv: [psql, ...args],
    env: {
      ...env,
      PGHOST: target.host,
      PGPORT: String(target.port),
      PGUSER: target.user,
      PGDATABASE: target.database,
      PGSSLMODE: target.sslmode,
      PGCONNECT_TIMEOUT: String(target.connectTimeout),
      PGPASSWORD: target.password || undefined,
    },
  };
}
