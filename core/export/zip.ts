import { runtime } from '../../platform/index.ts';

/** A fixed date for every entry: the same files give the same zip. */
const ZIP_DATE = new Date(Date.UTC(2000, 0, 1));

/**
 * A deterministic zip of `files` (path → text). jszip writes the archive (headers, central
 * directory, fixed dates, UNIX attributes); the DEFLATE itself is the runtime's native one, handed
 * to jszip as already-compressed content, because jszip's pure-JS DEFLATE was most of
 * export_schedule_html --zip's time (bench/export). Level 9, not zlib's default 6: at 9 Bun's and
 * Deno's zlib write the same bytes (at 6 they differ), so a zip is the same whichever runtime made
 * it; bench/export measured no difference in time (0.60–0.64 s at either level).
 */
export async function zipFiles(files: Iterable<readonly [string, string]>): Promise<Uint8Array> {
  const [{ default: JSZip }, { default: CompressedObject }, { DEFLATE }] = await Promise.all([
    import('jszip'),
    import('jszip/lib/compressedObject.js'),
    import('jszip/lib/compressions.js'),
  ]);
  const zip = new JSZip();
  const encoder = new TextEncoder();
  for (const [path, content] of files) {
    const bytes = encoder.encode(content);
    const deflated = runtime().deflateRaw(bytes, 9);
    const compressed = new CompressedObject(deflated.length, bytes.length, runtime().crc32(bytes), DEFLATE, deflated);
    zip.file(path, compressed as never, { date: ZIP_DATE, createFolders: false, binary: true });
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', platform: 'UNIX' });
}
