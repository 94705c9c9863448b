import vm from 'node:vm';

/**
 * The shell's evaluator: code runs in a context holding only what the shell puts there. Top-level
 * `await` works; `let`/`const`/`var` declared without `await` persist between lines.
 */
export class Evaluator {
  private readonly context: vm.Context;

  constructor(scope: Record<string, unknown>) {
    this.context = vm.createContext({ ...scope });
  }

  async run(code: string): Promise<unknown> {
    return await this.compile(code).runInContext(this.context, { displayErrors: false });
  }

  private compile(code: string): vm.Script {
    try {
      return new vm.Script(code, { filename: 'shell' });
    } catch (error) {
      // Probably a top-level await: as an expression whose value is shown, else as statements.
      for (const wrapped of [`(async () => (${code}\n))()`, `(async () => {${code}\n})()`]) {
        try {
          return new vm.Script(wrapped, { filename: 'shell' });
        } catch {
          // try the next form
        }
      }
      throw error;
    }
  }
}
