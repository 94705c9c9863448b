import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { exchangeDirectories } from './swap.ts';
import { zipFiles } from './zip.ts';

/** Who writes: leftovers named after a process that is gone (or this one) belong to nobody. */
export interface Owner {
  readonly pid: number;
  alive(pid: number): boolean;
}

/** How the new site took the place of the old one. */
export type Switch = 'new' | 'exchange' | 'two renames';

const suffix = () => Math.random().toString(36).slice(2, 10);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes what a killed export of `name` left in `root`: its half-built folders and old copies, and
 * the temporary zips, named `.<name>.build-<pid>-…`, `.<name>.old-<pid>-…`, `<name>.tmp-<pid>-…`
 * (and the names older confctl versions used). Another export still running keeps its own. If a
 * kill came between the two renames of the fallback switch, the old site is put back first.
 */
function removeLeftovers(root: string, name: string, owner: Owner): void {
  const orphan = (pid: string) => Number(pid) === owner.pid || !owner.alive(Number(pid));
  const ours = new RegExp(`^\\.${escape(name)}\\.(build|old)-(\\d+)-[a-z0-9]+$`);
  const zip = new RegExp(`^${escape(name)}\\.tmp-(\\d+)-[a-z0-9]+$`);
  const legacy = new RegExp(`^${escape(name)}\\.(building|previous|tmp)-[a-z0-9]{1,8}$`);
  const target = join(root, name);
  const entries = readdirSync(root);
  // A kill between the two renames of the fallback switch left the old site aside: put it back.
  if (!existsSync(target)) {
    const aside = entries.find((e) => {
      const m = ours.exec(e) ?? legacy.exec(e);
      return m !== null && (m[1] === 'old' ? orphan(m[2]!) : m[1] === 'previous');
    });
    if (aside) renameSync(join(root, aside), target);
  }
  for (const entry of readdirSync(root)) {
    const m = ours.exec(entry) ?? zip.exec(entry);
    if ((m !== null && orphan(m[m.length - 1]!)) || legacy.test(entry)) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/**
 * Writes the site into a hidden sibling of `target` and puts it in place only when every file is
 * written: a failure never leaves half an export, never replaces a good one, and the target path is
 * never missing: the old and new folders are exchanged in one step (renameat2 RENAME_EXCHANGE on
 * Linux, renamex_np on macOS); only where neither exists is it two renames, a moment apart.
 */
export async function writeSiteFolder(files: ReadonlyMap<string, string>, target: string, owner: Owner): Promise<Switch> {
  const root = dirname(target);
  const name = basename(target);
  mkdirSync(root, { recursive: true });
  removeLeftovers(root, name, owner);
  const building = join(root, `.${name}.build-${owner.pid}-${suffix()}`);
  try {
    for (const [path, content] of files) {
      const full = join(building, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    if (!existsSync(target)) {
      renameSync(building, target);
      return 'new';
    }
    if (await exchangeDirectories(building, target)) {
      rmSync(building, { recursive: true, force: true }); // now the old site
      return 'exchange';
    }
    const previous = join(root, `.${name}.old-${owner.pid}-${suffix()}`);
    renameSync(target, previous);
    try {
      renameSync(building, target);
    } catch (error) {
      renameSync(previous, target);
      throw error;
    }
    rmSync(previous, { recursive: true, force: true });
    return 'two renames';
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
}

/** The site as `<target>`, a zip whose entries all sit under `<folder>/`, written via a temporary file. */
export async function writeSiteZip(files: ReadonlyMap<string, string>, target: string, folder: string, owner: Owner): Promise<void> {
  const bytes = await zipFiles(Array.from(files, ([path, content]) => [`${folder}/${path}`, content] as const));
  const root = dirname(target);
  mkdirSync(root, { recursive: true });
  removeLeftovers(root, basename(target), owner);
  const tmp = `${target}.tmp-${owner.pid}-${suffix()}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
