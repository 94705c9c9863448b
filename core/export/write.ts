import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const suffix = () => Math.random().toString(36).slice(2, 10);

/**
 * Writes the site into a temporary sibling of `target` and swaps it into place only when every
 * file is written: a failure never leaves a half-written export, and never replaces a good one.
 */
export function writeSiteFolder(files: ReadonlyMap<string, string>, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const building = `${target}.building-${suffix()}`;
  const previous = `${target}.previous-${suffix()}`;
  try {
    for (const [path, content] of files) {
      const full = join(building, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    if (existsSync(target)) renameSync(target, previous);
    renameSync(building, target);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(target) && existsSync(previous)) renameSync(previous, target);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

/** A fixed date for every entry: the same files give the same zip. */
const ZIP_DATE = new Date(Date.UTC(2000, 0, 1));

/** The site as `<target>`, a zip whose entries all sit under `<folder>/`, written via a temporary file. */
export async function writeSiteZip(files: ReadonlyMap<string, string>, target: string, folder: string): Promise<void> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  // Bytes, not strings: TextEncoder is native, jszip's own UTF-8 encoder is not (a quarter of the time).
  const encoder = new TextEncoder();
  for (const [path, content] of files) zip.file(`${folder}/${path}`, encoder.encode(content), { date: ZIP_DATE, createFolders: false });
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${suffix()}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
