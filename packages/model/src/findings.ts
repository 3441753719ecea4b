/** Configuration findings: what is wrong, where it is written, which other objects take part, and what to change. */
import type { ObjectRef } from './kube.js';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

export interface Finding {
  /** Kiali's code (`KIA1107`) where Kiali has the check, else Meshlens's (`MLS0001`). */
  code: string;
  /** The `istioctl analyze` code (`IST0101`) when it has the same check. */
  istioCode?: string;
  /**
   * Other Meshlens/Kiali codes that describe the same problem and are told within this finding instead of as findings
   * of their own (`KIA0203` with alias `MLS1004`: a subset without pods whose labels sit on other pods). Each problem
   * is counted once; a filter or suppression by an alias code still finds it. Absent when the finding stands alone.
   */
  aliases?: string[];
  severity: Severity;
  message: string;
  object: ObjectRef;
  /** YAML path of the offending field: `spec.http[0].route[1].destination.subset`. */
  path: string;
  file?: string;
  line?: number;
  column?: number;
  /** The other objects that take part, each with the field that matters and why. */
  references: Array<{ object: ObjectRef; path?: string; file?: string; line?: number; note?: string }>;
  /** What to change, concretely. */
  fix?: string;
}

export interface FindingsSummary {
  error: number;
  warning: number;
  info: number;
  objects: number;
}

export interface FindingsResponse {
  findings: Finding[];
  summary: FindingsSummary;
}

/** One Istio object in the config list, with its worst finding. */
export interface ConfigItem {
  ref: ObjectRef;
  apiVersion: string;
  severity?: Severity;
  counts: { error: number; warning: number; info: number };
  file?: string;
  line?: number;
  /**
   * Hosts the object names (VirtualService and ServiceEntry `hosts`, DestinationRule `host`, a Gateway's servers'
   * hosts, Sidecar egress hosts, Gateway API `hostnames`), so a list can be searched by host; absent when none.
   */
  hosts?: string[];
  /** Gateways a VirtualService binds (`spec.gateways`) or a route attaches to (Gateway API `parentRefs`); absent when none. */
  gateways?: string[];
  /** The object's labels; absent when none. */
  labels?: Record<string, string>;
}

export interface ConfigListResponse {
  items: ConfigItem[];
}

/** A finding on another object that names this one among the objects involved: how this object takes part. */
export type InvolvingFinding = Finding & {
  /** The reference to this object: its field, line (in the page's `yaml`, 1-based) and why it matters. */
  involvement: { path?: string; note?: string; yamlLine?: number };
};

export interface ConfigObjectResponse {
  ref: ObjectRef;
  apiVersion: string;
  /** YAML text of the object as loaded (Secrets never reach this). */
  yaml: string;
  /** Findings with their lines counted within `yaml` (1-based). */
  findings: Array<Finding & { yamlLine?: number }>;
  /**
   * Findings on other objects whose involved objects (`references`) include this one — a DestinationRule's finding
   * naming the client Pod that carries its subset's labels appears on the Pod's page too. Not counted as its own.
   */
  involving: InvolvingFinding[];
  /** Objects this one refers to and objects that refer to it. */
  references: ObjectRef[];
  referencedBy: ObjectRef[];
}
