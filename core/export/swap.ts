/**
 * Atomic exchange of two directories: renameat2(RENAME_EXCHANGE) on Linux (3.15+, glibc or musl),
 * renamex_np(RENAME_SWAP) on macOS, through the runtime's foreign-function interface. Either path
 * stays a complete directory at every moment. Returns false where the system or file system has no
 * such call (the caller falls back to two renames).
 */
import { runtime } from '../../platform/index.ts';

/** Swaps `a` and `b` in one step; false when that cannot be done here (nothing changed then). */
export function exchangeDirectories(a: string, b: string): Promise<boolean> {
  return runtime().exchangeDirectories(a, b);
}
