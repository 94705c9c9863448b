import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipFiles } from './zip.ts';

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

/** The site as `<target>`, a zip whose entries all sit under `<folder>/`, written via a temporary file. */
export async function writeSiteZip(files: ReadonlyMap<string, string>, target: string, folder: string): Promise<void> {
  const bytes = await zipFiles(Array.from(files, ([path, content]) => [`${folder}/${path}`, content] as const));
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
