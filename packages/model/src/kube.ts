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

/** Formats an object reference the way istioctl and kubectl users read it: `Kind ns/name`. */
export function formatRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** A stable string key for an object reference. */
export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}
