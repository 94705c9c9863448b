import { errorMessage } from '../common/errors.ts';
import type { HttpServer } from '../../platform/index.ts';
import { Failure, type SelfTest, type SelfTestContext } from './selftest.ts';

export interface Outcome {
  ran: number;
  failures: number;
  errors: number;
  skipped: number;
}

const LINE = '-'.repeat(70);
const DOUBLE = '='.repeat(70);

/**
 * Runs the tests in order as Django's runner reports them (on stderr, as unittest writes): a dot, F,
 * E or s per test, or at -v 2 each test's name and docstring with ok/FAIL/ERROR/skipped; then each
 * failure with its message, "Ran N tests in X.XXXs" and OK or FAILED (failures=…, errors=…). A test
 * asked for alone runs after the tests it needs (not counted); one whose needs failed is skipped.
 */
export async function runSelfTests(tests: readonly SelfTest[], all: readonly SelfTest[], t: SelfTestContext, write: (text: string) => void, options: { verbosity: number; failfast: boolean; cancelled?: () => boolean }): Promise<Outcome> {
  const outcome: Outcome = { ran: 0, failures: 0, errors: 0, skipped: 0 };
  const done = new Map<string, 'ok' | 'failed'>();
  const problems: string[] = [];
  const started = performance.now();
  const label = (test: SelfTest) => `${test.name} (${test.module ?? 'confctl.selftest'}.${test.name})`;
  // A test's key: its module and name (an app may name a test as confctl names one); needs name confctl's.
  const key = (test: SelfTest) => `${test.module ?? 'confctl.selftest'}.${test.name}`;
  const attempt = async (test: SelfTest): Promise<{ kind: 'ok' } | { kind: 'FAIL' | 'ERROR'; message: string } | { kind: 'skipped'; message: string }> => {
    for (const need of test.needs) {
      const prerequisite = all.find((x) => x.name === need && x.module === undefined) ?? all.find((x) => x.name === need)!;
      if (!done.has(key(prerequisite))) {
        const result = await attempt(prerequisite);
        done.set(key(prerequisite), result.kind === 'ok' ? 'ok' : 'failed');
      }
      // As a failing setUp in Django: the test is an ERROR, not a silent skip.
      if (done.get(key(prerequisite)) !== 'ok') return { kind: 'ERROR', message: `needs ${need}, which did not pass` };
    }
    try {
      await test.run(t);
      return { kind: 'ok' };
    } catch (error) {
      return error instanceof Failure ? { kind: 'FAIL', message: error.message } : { kind: 'ERROR', message: `${(error as Error)?.name ?? 'Error'}: ${errorMessage(error)}` };
    }
  };
  try {
    for (const test of tests) {
      if (options.cancelled?.()) return outcome;
      if (options.verbosity >= 2) write(`${label(test)}\n${test.doc} ... `);
      const result = await attempt(test);
      done.set(key(test), result.kind === 'ok' ? 'ok' : 'failed');
      outcome.ran++;
      // Verbosity 0: no dots (unittest's), only the summary.
      const mark = (letter: string) => (options.verbosity === 1 ? letter : '');
      if (result.kind === 'ok') write(options.verbosity >= 2 ? 'ok\n' : mark('.'));
      else if (result.kind === 'skipped') {
        outcome.skipped++;
        write(options.verbosity >= 2 ? `skipped '${result.message}'\n` : mark('s'));
      } else {
        if (result.kind === 'FAIL') outcome.failures++;
        else outcome.errors++;
        write(options.verbosity >= 2 ? `${result.kind}\n` : mark(result.kind[0]!));
        problems.push(`${DOUBLE}\n${result.kind}: ${label(test)}\n${test.doc}\n${LINE}\n${result.message}\n`);
        if (options.failfast) break;
      }
    }
  } finally {
    const server = t.shared.get('server') as HttpServer | undefined;
    await server?.stop(true);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  if (options.verbosity === 1) write('\n');
  write(problems.map((p) => `${p}\n`).join(''));
  write(`${LINE}\nRan ${outcome.ran} test${outcome.ran === 1 ? '' : 's'} in ${seconds}s\n\n`);
  const notes = [outcome.failures ? `failures=${outcome.failures}` : '', outcome.errors ? `errors=${outcome.errors}` : '', outcome.skipped ? `skipped=${outcome.skipped}` : ''].filter(Boolean);
  write(outcome.failures + outcome.errors > 0 ? `FAILED (${notes.join(', ')})\n` : `OK${notes.length ? ` (${notes.join(', ')})` : ''}\n`);
  return outcome;
}
