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
  if (name === 'confctl' || commands.includes(name)) {
    throw new CommandError(`'${name}' conflicts with the name of an existing confctl command and cannot be used as a project name. Please try another name.`);
  }
  return name;
}

/** Text files of a template are rendered: {{ project_name }} and {{ project_directory }} replaced, as Django's templates say them. */
const TEXT = /\.(?:toml|md|txt|conf|service|timer|socket|ini|json|ya?ml|ts|js|sh|env|html|css)$/i;
const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;

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
async function customTemplate(template: string, project: Project): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  let total = 0;
  const add = (path: string, bytes: Uint8Array) => {
    total += bytes.byteLength;
    if (total > MAX_TEMPLATE_BYTES) throw new CommandError(`${template}: the template is larger than ${MAX_TEMPLATE_BYTES / 1024 / 1024} MiB.`);
    const target = safePath(path.replace(/project_name/g, project.name), template);
    files.set(target, TEXT.test(target) ? render(Buffer.from(bytes).toString('utf8'), project) : bytes);
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
        } else if (entry.isFile()) add(`${prefix}${entry.name}`, readFileSync(path));
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
  for (const entry of Object.values(zip.files).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = entry.name.slice(strip.length);
    if (path === '') continue;
    if (entry.dir) files.set(`${safePath(path.replace(/project_name/g, project.name), template).replace(/[\\/]$/, '')}/`, '');
    else add(path, await entry.async('uint8array'));
  }
  return files;
}

/**
 * The project written: into a hidden folder beside the target, moved into place only when complete
 * (a failure leaves nothing). The target must not exist or be empty.
 */
export async function startProject(request: { name: string; directory: string; template?: string | undefined }): Promise<string[]> {
  const target = resolve(request.directory);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new CommandError(`'${target}' already exists and is not a folder.`);
    if (readdirSync(target).length > 0) throw new CommandError(`'${target}' already exists and is not empty: startproject writes only into a new or empty folder.`);
  } else if (!existsSync(dirname(target))) {
    throw new CommandError(`Destination directory '${dirname(target)}' does not exist, please create it first.`);
  }
  const project: Project = { name: request.name, directory: target };
  const files = request.template === undefined ? defaultTemplate(project) : await customTemplate(resolve(request.template), project);
  const building = join(dirname(target), `.${basename(target)}.startproject-${Math.random().toString(36).slice(2, 10)}`);
  try {
    mkdirSync(building);
    for (const [path, content] of files) {
      const full = join(building, path);
      if (!full.startsWith(building + sep)) throw new CommandError(`The template's path "${path}" leaves the project folder.`);
      if (path.endsWith('/')) mkdirSync(full, { recursive: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    // An empty target folder is replaced in one rename.
    renameSync(building, target);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (error instanceof CommandError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CommandError(`Cannot write the project into ${target}: ${code === 'EACCES' || code === 'EROFS' ? 'the folder is not writable' : message}${code ? ` (${code})` : ''}`);
  }
  return [...files.keys()];
}
