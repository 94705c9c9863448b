/**
 * Atomic exchange of two directories: renameat2(RENAME_EXCHANGE) on Linux (3.15+, glibc or musl),
 * renamex_np(RENAME_SWAP) on macOS. Either path stays a complete directory at every moment. Returns
 * false where the system or file system has no such call (the caller falls back to two renames).
 */
import { existsSync } from 'node:fs';
import { platform } from 'node:os';

type Swapper = (a: string, b: string) => boolean;
let swapper: Swapper | null | undefined;

async function load(): Promise<Swapper | null> {
  try {
    const { dlopen, FFIType, ptr } = await import('bun:ffi');
    const cstr = (s: string) => ptr(Buffer.from(`${s}\0`));
    if (platform() === 'linux') {
      const lib = ['libc.so.6', '/lib/ld-musl-x86_64.so.1', '/lib/ld-musl-aarch64.so.1'].find((l) => !l.startsWith('/') || existsSync(l));
      if (!lib) return null;
      const { symbols } = dlopen(lib, { renameat2: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
      const AT_FDCWD = -100;
      const RENAME_EXCHANGE = 2;
      return (a, b) => symbols.renameat2(AT_FDCWD, cstr(a), AT_FDCWD, cstr(b), RENAME_EXCHANGE) === 0;
    }
    if (platform() === 'darwin') {
      const { symbols } = dlopen('libSystem.B.dylib', { renamex_np: { args: [FFIType.ptr, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
      const RENAME_SWAP = 2;
      return (a, b) => symbols.renamex_np(cstr(a), cstr(b), RENAME_SWAP) === 0;
    }
  } catch {
    // No FFI or no such symbol: two renames it is.
  }
  return null;
}

/** Swaps `a` and `b` in one step; false when that cannot be done here (nothing changed then). */
export async function exchangeDirectories(a: string, b: string): Promise<boolean> {
  if (swapper === undefined) swapper = await load();
  return swapper !== null && swapper(a, b);
}
