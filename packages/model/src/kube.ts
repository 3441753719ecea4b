/** Kubernetes object shapes as Meshlens reads them: only the fields it needs are typed. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; apiVersion?: string; uid?: string; controller?: boolean }>;
}

/** Any Kubernetes object. `spec` and the rest stay untyped until a reader narrows them. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  data?: Record<string, string>;
  [field: string]: unknown;
}

/** Identifies one object of the inventory. Cluster-scoped objects have no namespace. */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** Where an object (or one of its fields) came from. */
export interface Origin {
  source: 'file' | 'cluster' | 'demo' | 'snapshot';
  /** Path of the file, as given by the user (relative paths stay relative). */
  file?: string;
  /** 1-based line and column of the object's first line in the file. */
  line?: number;
  column?: number;
  /** Index of the YAML document in the file (0-based). */
  document?: number;
  cluster?: string;
}

/** 1-based line/column of a field, keyed by path like `spec.http[0].route[1].destination`. */
export type FieldPositions = Record<string, { line: number; column: number }>;

/** One object of the inventory, with where it came from. */
export interface InventoryObject<T extends KubeObject = KubeObject> {
  ref: ObjectRef;
  object: T;
  origin: Origin;
  positions?: FieldPositions;
}

/** A file or object that could not be loaded. The rest of the input still loads. */
export interface LoadError {
  file?: string;
  line?: number;
  column?: number;
  /** `Kind ns/name` when the object could be identified. */
  object?: string;
  message: string;
}

/**
 * Formats an object reference the way istioctl and kubectl users read it: `Kind ns/name`; a qualified kind as
 * kindLabel shows it (`Gateway (Gateway API) ns/name`, `HTTPRoute ns/name`).
 */
export function formatRef(ref: ObjectRef): string {
  const kind = kindLabel(ref.kind);
  return ref.namespace ? `${kind} ${ref.namespace}/${ref.name}` : `${kind} ${ref.name}`;
}

/** A stable string key for an object reference. */
export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/**
 * API groups whose kinds are keyed as `Kind.group` (`Gateway.gateway.networking.k8s.io`), the `TYPE.GROUP` form
 * kubectl takes. Why a qualified kind rather than a separate `group` field on ObjectRef: a ref is copied as
 * `{ kind, namespace, name }` in many places (findings, entity rows, URLs `/config/<kind>/<ns>/<name>`, query
 * keys, snapshots); a qualified kind travels through all of them unchanged, so an Istio `Gateway` and a Gateway
 * API `Gateway` of the same namespace/name can never share a key, a page or a finding. Every other group (core,
 * apps, batch, Istio's) keeps its bare kind, so existing keys, links and snapshots stay valid.
 */
export const QUALIFIED_GROUPS: readonly string[] = ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'];

/** The Kubernetes Gateway API's group. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The group of an `apiVersion` (`''` for the core group's `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The kind an ObjectRef carries for an object: `Kind.group` for the QUALIFIED_GROUPS, else the bare kind. */
export function refKindOf(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return QUALIFIED_GROUPS.includes(group) ? `${kind}.${group}` : kind;
}

/** The reference of a Kubernetes object (no namespace field for cluster-scoped objects). */
export function refOf(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  const kind = refKindOf(object.apiVersion, object.kind);
  return object.metadata.namespace ? { kind, namespace: object.metadata.namespace, name: object.metadata.name } : { kind, name: object.metadata.name };
}

/** A ref kind split back into the object's kind and group (`group` only for qualified kinds). */
export function splitRefKind(refKind: string): { kind: string; group?: string } {
  const dot = refKind.indexOf('.');
  const group = dot < 0 ? undefined : refKind.slice(dot + 1);
  // only the QUALIFIED_GROUPS: a kind of another group that has a dot in it (not a valid kind) is left as written
  return group !== undefined && QUALIFIED_GROUPS.includes(group) ? { kind: refKind.slice(0, dot), group } : { kind: refKind };
}

/** How a ref kind is shown to people: `Gateway (Gateway API)` for Gateway API kinds whose name Istio also uses. */
export function kindLabel(refKind: string): string {
  const { kind, group } = splitRefKind(refKind);
  if (!group) return kind;
  if (group === GATEWAY_API_GROUP) return kind === 'Gateway' ? 'Gateway (Gateway API)' : kind;
  return `${kind} (${group})`;
}
