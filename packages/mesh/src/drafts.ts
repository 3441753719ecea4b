/**
 * What-if drafts: objects written by hand (edited copies of live objects, or new ones) laid over an inventory's
 * objects before anything is applied. The browser's worker and `meshlens validate|trace --with FILE` use this same
 * code, so a change set gives the same findings and traces everywhere. Nothing here writes anywhere.
 */
import { formatRef, GATEWAY_API_GROUP, groupOf, refKey, splitRefKind, type Finding, type InventoryObject, type LoadError, type ObjectRef } from '@meshlens/model';
import { parseManifests } from './inventory/parse.js';
import { buildInventory, inOriginOrder } from './inventory/build.js';
import { GATEWAY_API_KINDS, ISTIO_KINDS, type GatewayApiKind, type Inventory, type IstioKind } from './inventory/types.js';

/**
 * A draft whose object carries this annotation with the value `delete` removes the object of the same kind,
 * namespace and name instead of replacing it (kubectl has no YAML for "delete", so a change set says it this way).
 */
export const DRAFT_DELETE_ANNOTATION = 'meshlens.io/draft';

/** `GET /api/drafts/base`: the inventory's objects (no positions, Secrets metadata only) as the what-if worker's input. */
export interface DraftBaseResponse {
  /** The source's name (demo, a context, a snapshot). */
  source: string;
  clusterDomain: string;
  objects: Array<Pick<InventoryObject, 'ref' | 'object' | 'origin'>>;
  errors: LoadError[];
}

/** One draft text, parsed: objects to add or replace, objects it deletes, and what could not be read (with lines). */
export interface DraftSet {
  objects: InventoryObject[];
  deletes: ObjectRef[];
  errors: LoadError[];
}

/** What an overlay did to the base objects. */
export interface DraftOverlay {
  /** The base objects with the drafts in place (a replaced object keeps its position in the list). */
  objects: InventoryObject[];
  /** Every object the drafts touch (replaced, added, deleted): what an incremental check re-validates. */
  changed: ObjectRef[];
  replaced: ObjectRef[];
  added: ObjectRef[];
  deleted: ObjectRef[];
  /** Deletes naming an object the base does not have. */
  missing: ObjectRef[];
}

/** True when a draft object marks the deletion of its namesake. */
export function isDeleteMarker(o: InventoryObject): boolean {
  return o.object.metadata.annotations?.[DRAFT_DELETE_ANNOTATION] === 'delete';
}

/** Parses one draft text (multi-document YAML, `kind: List` too) into a DraftSet; a bad document is an error with its line. */
export function parseDraft(text: string, file: string, options: { defaultNamespace?: string } = {}): DraftSet {
  const parsed = parseManifests(text, { file, source: 'file', defaultNamespace: options.defaultNamespace ?? 'default' });
  const objects: InventoryObject[] = [];
  const deletes: ObjectRef[] = [];
  for (const o of parsed.objects) (isDeleteMarker(o) ? deletes.push({ ...o.ref }) : objects.push(o));
  return { objects, deletes, errors: parsed.errors };
}

/**
 * Lays drafts over `base`: an object with the same kind/namespace/name replaces the base one (every copy of it, when
 * the base holds duplicates), a new one is added at the end, a delete marker removes its namesake. Later drafts win.
 */
export function overlayDrafts(base: readonly InventoryObject[], drafts: DraftSet | readonly DraftSet[]): DraftOverlay {
  const sets = Array.isArray(drafts) ? (drafts as readonly DraftSet[]) : [drafts as DraftSet];
  // the final word per key: an object, or null for a delete
  const final = new Map<string, InventoryObject | null>();
  const refs = new Map<string, ObjectRef>();
  for (const set of sets) {
    for (const o of set.objects) {
      final.set(refKey(o.ref), o);
      refs.set(refKey(o.ref), o.ref);
    }
    for (const r of set.deletes) {
      final.set(refKey(r), null);
      refs.set(refKey(r), r);
    }
  }
  if (final.size === 0) return { objects: [...base], changed: [], replaced: [], added: [], deleted: [], missing: [] };
  const objects: InventoryObject[] = [];
  const seen = new Set<string>();
  for (const o of base) {
    const key = refKey(o.ref);
    if (!final.has(key)) {
      objects.push(o);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    const draft = final.get(key);
    if (draft) objects.push(draft);
  }
  const out: DraftOverlay = { objects, changed: [], replaced: [], added: [], deleted: [], missing: [] };
  for (const [key, draft] of final) {
    const ref = { ...refs.get(key)! };
    const existed = seen.has(key);
    if (draft && !existed) objects.push(draft);
    if (draft) (existed ? out.replaced : out.added).push(ref);
    else (existed ? out.deleted : out.missing).push(ref);
    if (draft || existed) out.changed.push(ref);
  }
  return out;
}

/**
 * The inventory with `drafts` in place over `base` (its objects and load errors). Load errors about an object the
 * drafts replace or delete (a duplicate definition) go with it; the drafts' own parse errors are kept, so they are
 * findings (MLS0000) too.
 */
export function draftedInventory(
  base: { objects: readonly InventoryObject[]; errors?: readonly LoadError[] },
  drafts: readonly DraftSet[],
  options: { clusterDomain?: string } = {},
): { inventory: Inventory; overlay: DraftOverlay } {
  const overlay = overlayDrafts(base.objects, drafts);
  const touched = new Set([...overlay.replaced, ...overlay.deleted].map((r) => formatRef(r)));
  const errors = [
    ...(base.errors ?? []).filter((e) => !(e.object && touched.has(e.object))),
    ...drafts.flatMap((d) => d.errors),
  ];
  return { inventory: buildInventory(overlay.objects, errors, options), overlay };
}

const ISTIO_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io']);

/** The config kinds buildInventory only lists (no view is derived from them): Istio's and the Gateway API's. */
function configKindOf(o: InventoryObject): { istio: IstioKind } | { gatewayApi: GatewayApiKind } | undefined {
  const group = groupOf(o.object.apiVersion);
  if (ISTIO_GROUPS.has(group) && (ISTIO_KINDS as readonly string[]).includes(o.ref.kind)) return { istio: o.ref.kind as IstioKind };
  const { kind } = splitRefKind(o.ref.kind);
  if (group === GATEWAY_API_GROUP && (GATEWAY_API_KINDS as readonly string[]).includes(kind)) return { gatewayApi: kind as GatewayApiKind };
  return undefined;
}

/**
 * The inventory with `drafts` in place over an already built `base` inventory, as draftedInventory gives it, but
 * without rebuilding it when every object the drafts touch is an Istio or Gateway API config object in a known
 * namespace (what drafts almost always are): the object lists of those kinds and the index by key are made anew,
 * every other view (workloads, pods, Services, namespaces, mesh config) is the base's. A draft of any other kind
 * (a Service, a Deployment, a Namespace, the mesh config…) rebuilds the whole inventory.
 */
export function draftedInventoryFrom(base: Inventory, drafts: readonly DraftSet[]): { inventory: Inventory; overlay: DraftOverlay } {
  const overlay = overlayDrafts(base.objects, drafts);
  const touched = new Set([...overlay.replaced, ...overlay.deleted].map((r) => formatRef(r)));
  const errors = [...base.errors.filter((e) => !(e.object && touched.has(e.object))), ...drafts.flatMap((d) => d.errors)];
  if (overlay.changed.length === 0 && errors.length === base.errors.length && drafts.every((d) => d.errors.length === 0)) return { inventory: base, overlay };
  const changedKeys = new Set(overlay.changed.map(refKey));
  const after = overlay.objects.filter((o) => changedKeys.has(refKey(o.ref)));
  const before = overlay.changed.map((r) => base.byKey.get(refKey(r))).filter((o): o is InventoryObject => o !== undefined);
  const incremental = [...before, ...after].every((o) => configKindOf(o) !== undefined && (!o.ref.namespace || base.namespaces.has(o.ref.namespace)));
  if (!incremental) return { inventory: buildInventory(overlay.objects, errors, { clusterDomain: base.clusterDomain }), overlay };
  const istio = { ...base.istio };
  const gatewayApi = { ...base.gatewayApi };
  const istioKinds = new Set<IstioKind>();
  const gatewayKinds = new Set<GatewayApiKind>();
  for (const o of [...before, ...after]) {
    const k = configKindOf(o)!;
    if ('istio' in k) istioKinds.add(k.istio);
    else gatewayKinds.add(k.gatewayApi);
  }
  for (const k of istioKinds) istio[k] = [];
  for (const k of gatewayKinds) gatewayApi[k] = [];
  // in the objects' order, as buildInventory lists them; the ref's kind first, which is cheap to compare
  const refKinds = new Set<string>([...istioKinds, ...[...gatewayKinds].map((k) => `${k}.${GATEWAY_API_GROUP}`)]);
  const objects = inOriginOrder(overlay.objects) as InventoryObject[];
  for (const o of objects) {
    if (!refKinds.has(o.ref.kind)) continue;
    const k = configKindOf(o);
    if (!k) continue;
    if ('istio' in k) { if (istioKinds.has(k.istio)) istio[k.istio].push(o); }
    else if (gatewayKinds.has(k.gatewayApi)) gatewayApi[k.gatewayApi].push(o);
  }
  const byKey = new Map(base.byKey);
  for (const r of overlay.changed) byKey.delete(refKey(r));
  for (const o of after) byKey.set(refKey(o.ref), o);
  return { inventory: { ...base, objects, errors, byKey, istio, gatewayApi }, overlay };
}

/** A finding's identity across two runs: code, object and YAML path (lines move when a draft is edited). */
export function findingKey(f: Pick<Finding, 'code' | 'object' | 'path'>): string {
  return `${f.code} ${refKey(f.object)} ${f.path}`;
}

/** What a change removes and adds, compared by code + object + path (as many times as each occurs). */
export function diffFindings(before: readonly Finding[], after: readonly Finding[]): { removed: Finding[]; added: Finding[] } {
  const count = new Map<string, number>();
  for (const f of before) count.set(findingKey(f), (count.get(findingKey(f)) ?? 0) + 1);
  const added: Finding[] = [];
  for (const f of after) {
    const k = findingKey(f);
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else added.push(f);
  }
  const removed: Finding[] = [];
  for (const f of before) {
    const k = findingKey(f);
    const n = count.get(k) ?? 0;
    if (n > 0) {
      count.set(k, n - 1);
      removed.push(f);
    }
  }
  return { removed, added };
}
