// Every test runs with a fixed, colourless environment (oven-sh/bun's harness does the same).
process.env.TZ = 'UTC';
process.env.NO_COLOR = '1';
delete process.env.FORCE_COLOR;
for (const key of Object.keys(process.env)) if (key.startsWith('CONFCTL_')) delete process.env[key];

// The runtime's module and its SQLite driver, as cli.ts and the command kit load them before a command runs.
import { loadDatabaseDriver } from '../platform/index.ts';
await loadDatabaseDriver();

// The private PostgreSQL cluster, if a test started one, goes when the tests end (test/support/postgres.ts).
import { afterAll } from 'bun:test';
import { stopPostgresServer } from './support/postgres.ts';
// pg_ctl stop waits for the server to go: past bun's default 5 s hook timeout on a busy machine (a
// clean-clone run failed so, after all its tests had passed).
afterAll(stopPostgresServer, 60_000);

