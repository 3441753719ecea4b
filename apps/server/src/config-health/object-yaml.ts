/**
 * The YAML an object page shows, and the line of each finding within it. Where the object came from a file
 * (or the demo's bundled files) and that text still parses to the very object loaded, the original lines are
 * shown — comments, order and quoting as the author wrote them, and a finding's line is its file line shifted.
 * Otherwise (live cluster, snapshot, edited file) the stored object is serialized and lines come from the
 * positions of that text. A snapshot's objects are always serialized from the bundle: its `origin.file` is data
 * from someone else's file, and opening it would read the server's files.
 */
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { parseManifests, positionOf } from '@meshlens/mesh';
import { loadDemoManifests } from '@meshlens/demo';
import { loadedManifestText } from '@meshlens/sources';
import type { Finding, InventoryObject } from '@meshlens/model';

export interface ObjectYaml {
  yaml: string;
  /** True when `yaml` is the author's text rather than a serialization. */
  original: boolean;
  /** The 1-based line in `yaml` of a finding on this object (undefined when it cannot be placed). */
  lineOf(finding: Finding): number | undefined;
}

let demoTexts: Map<string, string> | undefined;

/**
 * The text of the file an object was read from, when Meshlens itself loaded that object from it: the demo's bundled
 * texts, or the manifest files of `serve -f` (the file source keeps which object came from which file). A path in
 * the object's own `origin` is never opened — objects of a snapshot bundle carry whatever the bundle says there.
 */
async function sourceText(obj: InventoryObject): Promise<string | undefined> {
  const { source, file } = obj.origin;
  if (source === 'demo' && file) {
    // A lookup among the texts bundled with Meshlens, never a read: a bundle naming a demo file gets that text only if it is the same object.
    demoTexts ??= new Map(loadDemoManifests().map((f) => [f.file, f.text]));
    return demoTexts.get(file);
  }
  return loadedManifestText(obj);
}

/** The object's own lines: from its first line to the next document marker, trailing blanks and comments dropped. */
export function documentSlice(text: string, firstLine: number): string | undefined {
  const lines = text.split(/\r?\n/);
  const start = firstLine - 1;
  if (start < 0 || start >= lines.length) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[end]!)) end++;
  while (end > start + 1 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
  return lines.slice(start, end).join('\n') + '\n';
}

/** Live objects carry bookkeeping nobody reviews; the page shows what a person would write or `kubectl get -o yaml` minus noise. */
function forDisplay(object: InventoryObject['object']): unknown {
  const metadata = { ...object.metadata } as Record<string, unknown>;
  delete metadata.managedFields;
  return { ...object, metadata };
}

function serialized(obj: InventoryObject): ObjectYaml {
  const yaml = stringify(forDisplay(obj.object), { lineWidth: 0 });
  const parsed = parseManifests(yaml, { defaultNamespace: obj.ref.namespace ?? 'default' }).objects[0];
  return {
    yaml,
    original: false,
    lineOf: (f) => (parsed ? positionOf(parsed, f.path).line : undefined),
  };
}

/** The YAML of `obj` and how to place its findings in it. */
export async function objectYaml(obj: InventoryObject): Promise<ObjectYaml> {
  const text = await sourceText(obj);
  const first = obj.origin.line;
  const slice = text !== undefined && first !== undefined ? documentSlice(text, first) : undefined;
  if (slice !== undefined && first !== undefined) {
    const reparsed = parseManifests(slice, { file: obj.origin.file, defaultNamespace: obj.ref.namespace ?? 'default' });
    // Only when the slice is exactly the object loaded (not an edited file, not an item of a List).
    if (reparsed.errors.length === 0 && reparsed.objects.length === 1 && isDeepStrictEqual(reparsed.objects[0]!.object, obj.object)) {
      const parsed = reparsed.objects[0]!;
      const count = slice.split('\n').length - 1;
      return {
        yaml: slice,
        original: true,
        lineOf: (f) => {
          if (f.file === obj.origin.file && f.line !== undefined && f.line >= first && f.line < first + count) return f.line - first + 1;
          return positionOf(parsed, f.path).line;
        },
      };
    }
  }
  return serialized(obj);
}
