import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import JSZip from 'jszip';
import { CommandError } from '../common/errors.ts';
import { defaultTemplate, type Project } from './files.ts';

/**
 * Django's rule for a project name, and confctl's: an identifier (letters, digits, underscore, not
 * starting with a digit), and not the name of a command (or confctl itself): it names the service
 * user and the units, and `confctl NAME` must stay unambiguous.
 */
export function checkProjectName(name: string, commands: readonly string[]): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new CommandError(`'${name}' is not a valid project name. Please make sure the name is a valid identifier.`);
  }
  // The service user: useradd takes at most 32 characters.
  if (name.length > 32) throw new CommandError(`'${name}' is longer than 32 characters, which a system user's name cannot be. Please try a shorter name.`);
  if (['confctl', ...RESERVED].includes(name.toLowerCase()) || commands.includes(name)) {
    throw new CommandError(`'${name}' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.`);
  }
  return name;
}

/** Names of commands to come (django-admin's) and of confctl's own help: not project names either. */
const RESERVED = ['help'];

/** Text files of a template are rendered: {{ project_name }} and {{ project_directory }} replaced, as Django's templates say them. */
const TEXT = /\.(?:toml|md|txt|conf|service|timer|socket|ini|json|ya?ml|ts|js|sh|env|html|css)$/i;
const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function render(text: string, project: Project): string {
  return text.replace(/\{\{\s*project_name\s*\}\}/g, project.name).replace(/\{\{\s*project_directory\s*\}\}/g, project.directory);
}

/** A template's path, checked: relative, inside the project, no "..". */
function safePath(path: string, template: string): string {
  const clean = normalize(path.replace(/\\/g, '/'));
  if (isAbsolute(clean) || clean.split(/[\\/]/).includes('..')) throw new CommandError(`${template}: the template's path "${path}" leaves the project folder.`);
  return clean;
}

/** An operator's template (a folder or a .zip, as Django's --template), its files by path, rendered. */
async function customTemplate(template: string, project: Project): Promise<Map<string, ProjectFile>> {
  const files = new Map<string, ProjectFile>();
  let total = 0;
  const tooLarge = () => new CommandError(`${template}: the template is larger than ${MAX_TEMPLATE_BYTES / 1024 / 1024} MiB.`);
  const add = (path: string, bytes: Uint8Array, mode: number) => {
    total += bytes.byteLength;
    if (total > MAX_TEMPLATE_BYTES) throw tooLarge();
    const target = safePath(path.replace(/project_name/g, project.name), template);
    // Only text in UTF-8 is rendered; other bytes (Latin-1, images) are copied as they are. An executable stays executable.
    const text = TEXT.test(target) ? utf8(bytes) : null;
    files.set(target, { content: text === null ? bytes : render(text, project), mode: mode & 0o111 ? 0o755 : 0o644 });
  };
  if (!existsSync(template)) throw new CommandError(`The template ${template} does not exist.`);
  if (statSync(template).isDirectory()) {
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.name === '.git' || entry.name === '__pycache__') continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          files.set(`${safePath(`${prefix}${entry.name}`.replace(/project_name/g, project.name), template)}/`, '');
          walk(path, `${prefix}${entry.name}/`);
        } else if (entry.isFile()) add(`${prefix}${entry.name}`, readFileSync(path), statSync(path).mode);
      }
    };
    walk(template, '');
    return files;
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(readFileSync(template));
  } catch {
    throw new CommandError(`${template} is neither a folder nor a zip archive.`);
  }
  // An archive of one folder (as GitHub makes them) is that folder's content, as Django takes it.
  const names = Object.keys(zip.files);
  const top = new Set(names.map((n) => n.split('/')[0]));
  const strip = top.size === 1 && names.every((n) => n.includes('/')) ? `${[...top][0]}/` : '';
  // The sizes the archive declares, before anything is inflated: a small zip of zeros is no way to fill the memory.
  const declared = Object.values(zip.files).reduce((sum, entry) => sum + ((entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
  if (declared > MAX_TEMPLATE_BYTES) throw tooLarge();
  for (const entry of Object.values(zip.files).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = entry.name.slice(strip.length);
    if (path === '') continue;
    if (entry.dir) files.set(`${safePath(path.replace(/project_name/g, project.name), template).replace(/[\\/]$/, '')}/`, '');
    else {
      let bytes: Uint8Array;
      try {
        bytes = await entry.async('uint8array');
      } catch (error) {
        throw new CommandError(`${template}: cannot read "${entry.name}" from the archive (${(error as Error).message}).`);
      }
      add(path, bytes, (entry.unixPermissions as number | null) ?? 0o644);
    }
  }
  return files;
}

/** A file of the project: its text or bytes, and its mode (confctl.toml 0640: it may hold API tokens). */
export type ProjectFile = string | Uint8Array | { content: string | Uint8Array; mode: number };

/**
 * Characters a systemd unit or an nginx site cannot take unquoted in a path (a space splits it, % is
 * a unit specifier): such a folder is refused rather than written into files that would not work.
 */
const UNSAFE_PATH = /[\s%"'\\;$`{}#]/;

/**
 * The project written. A new folder is built aside and moved into place when complete; an existing
 * empty one (made by root for the operator, a mounted volume) is filled where it is, keeping its owner
 * and mode, and emptied again if anything fails. Either way a failure leaves nothing.
 */
export async function startProject(request: { name: string; directory: string; template?: string | undefined }): Promise<string[]> {
  const target = resolve(request.directory);
  if (UNSAFE_PATH.test(target)) {
    throw new CommandError(`'${target}' has a space or one of % " ' \\ ; $ \` { } # in it, which the systemd units and nginx sites cannot name: choose another folder.`);
  }
  const project: Project = { name: request.name, directory: target };
  const files: Map<string, ProjectFile> = request.template === undefined ? defaultTemplate(project) : await customTemplate(resolve(request.template), project);
  if (![...files.keys()].some((path) => !path.endsWith('/'))) throw new CommandError(`The template ${request.template} has no files.`);
  writeNewFolder(target, files, 'project');
  return [...files.keys()];
}

/**
 * Files written into a new folder, or an existing empty one. A new folder is built aside and moved
 * into place when complete; an existing empty one (made by root for the operator, a mounted volume)
 * is filled where it is, keeping its owner and mode, and emptied again if anything fails. Either way
 * a failure leaves nothing. `what` names it in messages (project, app).
 */
export function writeNewFolder(target: string, files: ReadonlyMap<string, ProjectFile>, what: string): void {
  const exists = existsSync(target);
  if (exists) {
    if (!statSync(target).isDirectory()) throw new CommandError(`'${target}' already exists and is not a folder.`);
    if (readdirSync(target).length > 0) throw new CommandError(`'${target}' already exists and is not empty: start${what} writes only into a new or empty folder.`);
  } else if (!existsSync(dirname(target))) {
    throw new CommandError(`Destination directory '${dirname(target)}' does not exist, please create it first.`);
  }
  const building = exists ? target : join(dirname(target), `.start${what}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    if (!exists) mkdirSync(building);
    for (const [path, file] of files) {
      const full = join(building, path);
      if (!full.startsWith(building + sep)) throw new CommandError(`The template's path "${path}" leaves the ${what} folder.`);
      const { content, mode } = typeof file === 'string' || file instanceof Uint8Array ? { content: file, mode: path.endsWith('/') ? 0o755 : 0o644 } : file;
      if (path.endsWith('/')) mkdirSync(full, { recursive: true, mode });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content, { mode });
      }
    }
    if (!exists) renameSync(building, target);
  } catch (error) {
    // Undo what was written; a folder that could not be written into has nothing to undo.
    try {
      if (exists) for (const entry of readdirSync(target)) rmSync(join(target, entry), { recursive: true, force: true });
      else rmSync(building, { recursive: true, force: true });
    } catch {
      // Nothing was made there.
    }
    if (error instanceof CommandError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    const where = exists ? target : dirname(target);
    throw new CommandError(`Cannot write the ${what} into ${target}: ${code === 'EACCES' || code === 'EROFS' ? `${where} is not writable` : message}${code ? ` (${code})` : ''}`);
  }
}
