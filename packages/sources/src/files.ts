/** Reads manifests from files and directory trees into inventory objects, keeping every good object when some are bad. */
import { constants } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { parseManifests } from '@meshlens/mesh';
import type { InventoryObject, LoadError } from '@meshlens/model';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * The file each object of `loadManifestPaths` was read from, keyed by the object itself. An object page shows its
 * file's own lines (comments and all) only for objects this module loaded: a path inside object data (a snapshot
 * bundle's `origin.file`, which anyone can write) is never opened.
 */
const loadedFrom = new WeakMap<InventoryObject, string>();

/** Largest file read again for an object page: past it the page shows the serialized object. */
const MAX_REREAD_BYTES = 16 * 1024 * 1024;

/**
 * The current text of the file `loadManifestPaths` read `obj` from, or undefined when this module did not load this
 * very object, or the file is gone, too large or no longer a regular file (it is opened without blocking, so a FIFO
 * put in its place is never waited on). Callers compare the text with the object: the file may have been edited.
 */
export async function loadedManifestText(obj: InventoryObject): Promise<string | undefined> {
  const path = loadedFrom.get(obj);
  if (path === undefined) return undefined;
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined; // moved or deleted since it was loaded
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_REREAD_BYTES) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

export interface LoadedManifests {
  objects: InventoryObject[];
  errors: LoadError[];
  files: string[];
}

/** Loads every `.yaml`, `.yml` and `.json` file under the given paths (files or directories, recursively). */
export async function loadManifestPaths(paths: string[], options: { cwd?: string } = {}): Promise<LoadedManifests> {
  const cwd = options.cwd ?? process.cwd();
  const out: LoadedManifests = { objects: [], errors: [], files: [] };
  for (const p of paths) {
    const files = await expand(p, out.errors);
    for (const file of files) {
      const shown = displayPath(file, cwd);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        out.errors.push({ file: shown, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      out.files.push(shown);
      const parsed = parseManifests(text, { file: shown, source: 'file' });
      for (const o of parsed.objects) loadedFrom.set(o, resolve(file));
      out.objects.push(...parsed.objects);
      out.errors.push(...parsed.errors);
    }
  }
  return out;
}

/** Loads manifests given as in-memory texts (demo scenarios, uploads). */
export function loadManifestTexts(texts: Array<{ file: string; text: string }>, source: InventoryObject['origin']['source'] = 'file'): LoadedManifests {
  const out: LoadedManifests = { objects: [], errors: [], files: [] };
  for (const { file, text } of texts) {
    out.files.push(file);
    const parsed = parseManifests(text, { file, source });
    out.objects.push(...parsed.objects);
    out.errors.push(...parsed.errors);
  }
  return out;
}

async function expand(path: string, errors: LoadError[]): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    errors.push({ file: path, message: `cannot read path: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}` });
    return [];
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) return [];
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await expand(full, errors)));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}
