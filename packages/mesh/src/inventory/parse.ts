/**
 * Parses Kubernetes YAML (multi-document, `kind: List`) into inventory objects that remember the
 * file, line and column of the object and of every field path, so findings and traces can point at
 * `spec.http[0].route[1]` on its exact line. A bad document becomes a LoadError; the rest still loads.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, isPair, isScalar, type Node as YamlNode } from 'yaml';
import { refKindOf, type FieldPositions, type InventoryObject, type KubeObject, type LoadError, type Origin } from '@meshlens/model';
import { fastParseDocuments, fastPositions } from './fast-yaml.js';

export interface ParseResult {
  objects: InventoryObject[];
  errors: LoadError[];
}

/** Kinds that are namespaced when no namespace is written (they default to `defaultNamespace`). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'StorageClass', 'PriorityClass',
  // the Gateway API's one cluster-scoped kind
  'GatewayClass',
]);

/** True when objects of `kind` have no namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export interface ParseOptions {
  /** File name recorded in origins and errors. */
  file?: string;
  source?: Origin['source'];
  /** Namespace given to namespaced objects that do not name one (kubectl's `default`). */
  defaultNamespace?: string;
  /**
   * `yaml`: always read with the `yaml` library, the reference that fast-yaml.ts is tested against. By default the
   * fast reader goes first and hands the text to the library when it meets YAML it does not read.
   */
  reader?: 'auto' | 'yaml';
}

/** Parses one YAML text holding any number of Kubernetes objects. */
export function parseManifests(text: string, options: ParseOptions = {}): ParseResult {
  return (options.reader === 'yaml' ? undefined : parseFast(text, options)) ?? parseWithYamlLibrary(text, options);
}

/**
 * The common case, read by fast-yaml.ts in one pass; undefined when the text uses YAML it leaves to the `yaml`
 * library (or holds a List whose items are not a block sequence). Field positions are read from the object's own
 * text when first asked for: most objects never need them, and a cluster dump has a million.
 */
function parseFast(text: string, options: ParseOptions): ParseResult | undefined {
  const documents = fastParseDocuments(text);
  if (!documents) return undefined;
  const { file, source = 'file', defaultNamespace = 'default' } = options;
  const result: ParseResult = { objects: [], errors: [] };
  const isSecret = (v: unknown) => (v as { kind?: unknown } | null)?.kind === 'Secret';
  // Objects keep their text for their positions. Where a file holds Secrets, each keeps a copy of its own text
  // only, so that no object holds on to a Secret's data (the inventory never keeps it: build.ts).
  const withSecrets = documents.some((d) => isSecret(d.value) || (listItems(d.value)?.some(isSecret) ?? false));
  const positions = (value: unknown, at: { from: number; to: number; line: number }, itemIndent?: number): FieldPositions | (() => FieldPositions) => {
    const { from, to, line } = at;
    if (isSecret(value)) return fastPositions(text, from, to, line, itemIndent);
    if (!withSecrets) return () => fastPositions(text, from, to, line, itemIndent);
    const own = text.slice(from, to).split('\n').join('\n');
    return () => fastPositions(own, 0, own.length, line, itemIndent);
  };
  for (const [docIndex, doc] of documents.entries()) {
    const { value } = doc;
    if (value === undefined) continue; // empty document
    const base: Origin = { source, file, document: docIndex };
    const items = listItems(value);
    if (items) {
      const read = doc.items ?? [];
      if (read.length !== items.length) return undefined;
      items.forEach((item, i) => addObject(item, positions(item, read[i]!, read[i]!.indent), { ...base, ...read[i]!.start }, result, file, defaultNamespace));
      continue;
    }
    addObject(value, positions(value, doc), { ...base, ...doc.start! }, result, file, defaultNamespace);
  }
  return result;
}

/** The items of a `kind: …List` document, or undefined when it is one object. */
function listItems(value: unknown): unknown[] | undefined {
  const { kind, items } = (value ?? {}) as { kind?: unknown; items?: unknown };
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items) ? items : undefined;
}

/** Any YAML, through the `yaml` library: the reference, and where errors get their messages and lines. */
function parseWithYamlLibrary(text: string, options: ParseOptions): ParseResult {
  const { file, source = 'file', defaultNamespace = 'default' } = options;
  const lineCounter = new LineCounter();
  const result: ParseResult = { objects: [], errors: [] };
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    result.errors.push({ file, line: 1, column: 1, message: `cannot parse YAML: ${(e as Error).message}` });
    return result;
  }
  // parseAllDocuments returns an EmptyStream (array-like) for empty input
  const documents = Array.isArray(docs) ? docs : [];
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  documents.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const at = err.linePos?.[0] ?? pos(err.pos[0]);
        result.errors.push({ file, line: at.line, column: 'col' in at ? at.col : (at as { column: number }).column, message: firstLine(err.message) });
      }
      return;
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return; // empty document
    const docStart = pos(root.range?.[0] ?? 0);
    if (!isMap(root)) {
      result.errors.push({ file, ...docStart, message: 'document is not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)' });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // An alias to an anchor that is not set before it, or more alias expansion than the limit (an alias bomb):
      // the yaml library throws rather than reporting. This document is an error; the others still load.
      result.errors.push({ file, ...docStart, message: `cannot read this document: ${firstLine((e as Error).message)}` });
      return;
    }
    const base: Origin = { source, file, document: docIndex };
    const items = listItems(value);
    const itemNodes = root.get('items', true);
    if (items && isSeq(itemNodes) && itemNodes.items.length === items.length) {
      // Each item's positions straight from its own node: no pass over the whole List per item.
      items.forEach((item, i) => {
        const node = itemNodes.items[i] as YamlNode | null;
        const positions: FieldPositions = {};
        collectPositions(node, '', positions, pos);
        addObject(item, positions, { ...base, ...(node?.range ? pos(node.range[0]) : docStart) }, result, file, defaultNamespace);
      });
      return;
    }
    const positions: FieldPositions = {};
    collectPositions(root, '', positions, pos);
    if (items) {
      // items that are aliases of nodes elsewhere: positions are those of the List document
      items.forEach((item, i) => addObject(item, {}, { ...base, ...(positions[`items[${i}]`] ?? docStart) }, result, file, defaultNamespace));
      return;
    }
    addObject(value, positions, { ...base, ...docStart }, result, file, defaultNamespace);
  });
  return result;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function addObject(
  value: unknown, positions: FieldPositions | (() => FieldPositions), origin: Origin, result: ParseResult, file: string | undefined, defaultNamespace: string,
): void {
  const made = inventoryObjectOf(value, origin, typeof positions === 'function' ? {} : positions, defaultNamespace);
  if ('message' in made) result.errors.push({ file, line: origin.line, column: origin.column, ...made });
  else result.objects.push(typeof positions === 'function' ? withLazyPositions(made, positions) : made);
}

/**
 * `obj` with `positions` read on first access (then kept as a plain property). It stays an enumerable own
 * property, so spreading, JSON and deep equality see the positions as if they had always been there.
 */
function withLazyPositions(obj: InventoryObject, read: () => FieldPositions): InventoryObject {
  const settle = (positions: FieldPositions | undefined) => {
    Object.defineProperty(obj, 'positions', { value: positions, writable: true, enumerable: true, configurable: true });
    return positions;
  };
  Object.defineProperty(obj, 'positions', {
    get: () => settle(read()),
    set: (positions: FieldPositions | undefined) => settle(positions),
    enumerable: true,
    configurable: true,
  });
  return obj;
}

/**
 * One Kubernetes object (already parsed, from YAML or from a snapshot file) as an inventory object, or why it is
 * not one: apiVersion, kind and metadata.name are required, metadata.namespace must be a string, and namespaced
 * kinds without one get `defaultNamespace`, as kubectl does.
 */
export function inventoryObjectOf(value: unknown, origin: Origin, positions: FieldPositions, defaultNamespace: string): InventoryObject | { object?: string; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { message: 'item is not a Kubernetes object (expected a mapping)' };
  const obj = value as Partial<KubeObject>;
  const missing = (['apiVersion', 'kind'] as const).filter((f) => typeof obj[f] !== 'string' || obj[f] === '');
  const meta = obj.metadata;
  const name = meta && typeof meta === 'object' ? (meta as { name?: unknown }).name : undefined;
  if (typeof name !== 'string' || name === '') missing.push('metadata.name' as never);
  if (missing.length > 0) {
    const label = typeof obj.kind === 'string' ? `${obj.kind}${typeof name === 'string' ? ` ${name}` : ''}` : undefined;
    return { ...(label ? { object: label } : {}), message: `object is missing ${missing.join(', ')}` };
  }
  const kind = obj.kind as string;
  const metadata = { ...(meta as KubeObject['metadata']) };
  if (metadata.namespace !== undefined && typeof metadata.namespace !== 'string') return { object: `${kind} ${metadata.name}`, message: 'metadata.namespace must be a string' };
  if (!isClusterScoped(kind)) metadata.namespace ??= defaultNamespace;
  else delete metadata.namespace;
  const object = { ...(obj as KubeObject), metadata };
  // Gateway API kinds are keyed `Kind.group` (refKindOf): an Istio Gateway and a Gateway API Gateway never collide.
  return { ref: { kind: refKindOf(object.apiVersion, kind), namespace: metadata.namespace, name: metadata.name }, object, origin, positions };
}

type PosFn = (offset: number) => { line: number; column: number };

/** Records the position of every map key and sequence item under `node`, keyed by path. */
function collectPositions(node: YamlNode | null | undefined, path: string, out: FieldPositions, pos: PosFn): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const keyName = isScalar(key) ? String(key.value) : undefined;
      if (keyName === undefined) continue;
      const childPath = path === '' ? keyName : /^[A-Za-z_][\w-]*$/.test(keyName) ? `${path}.${keyName}` : `${path}["${keyName}"]`;
      if (key?.range) out[childPath] = pos(key.range[0]);
      collectPositions(pair.value as YamlNode | null, childPath, out, pos);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const childPath = `${path}[${i}]`;
      const n = item as YamlNode | null;
      if (n?.range) out[childPath] = pos(n.range[0]);
      collectPositions(n, childPath, out, pos);
    });
  }
}

/** The position of `path` in an object, or of its nearest written ancestor. */
export function positionOf(obj: InventoryObject, path: string): { file?: string; line?: number; column?: number } {
  const file = obj.origin.file;
  let p: string | undefined = path;
  while (p) {
    const hit = obj.positions?.[p];
    if (hit) return { file, ...hit };
    p = parentPath(p);
  }
  return { file, line: obj.origin.line, column: obj.origin.column };
}

function parentPath(path: string): string | undefined {
  const m = /^(.*)(\.[^.[\]]+|\[[^\]]*\])$/.exec(path);
  return m?.[1] || undefined;
}
