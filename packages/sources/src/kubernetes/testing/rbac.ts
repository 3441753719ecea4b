/** Identities of the test API server (bearer tokens) and the requests they are denied, with real 403 messages. */

export interface DenyRule {
  /** Plural resource names ("pods", "secrets"); all when absent. */
  resources?: string[];
  /** API groups ("" for the core group); all when absent. */
  groups?: string[];
  /** Denied in these namespaces (and therefore across all namespaces too). */
  namespaces?: string[];
  /** Only requests across all namespaces (a namespaced RoleBinding identity); ignored with `namespaces`. */
  allNamespaces?: boolean;
  /** Verbs ("list", "watch", "get"); all when absent. */
  verbs?: string[];
}

export interface TestIdentity {
  token: string;
  /** User name shown in 403 messages, e.g. `system:serviceaccount:meshlens:meshlens`. */
  user: string;
  deny?: DenyRule[];
}

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  /** Undefined for cluster-scoped resources and all-namespace requests. */
  namespace?: string;
  namespaced: boolean;
}

/** The first rule that denies the request, if any. */
export function deniedBy(identity: TestIdentity, req: AccessRequest): DenyRule | undefined {
  return identity.deny?.find((rule) => {
    if (rule.verbs && !rule.verbs.includes(req.verb)) return false;
    if (rule.resources && !rule.resources.includes(req.resource)) return false;
    if (rule.groups && !rule.groups.includes(req.group)) return false;
    if (rule.namespaces) return req.namespaced && (req.namespace === undefined || rule.namespaces.includes(req.namespace));
    if (rule.allNamespaces) return req.namespaced && req.namespace === undefined;
    return true;
  });
}

/** The Status body a real API server sends with a 403. */
export function forbiddenStatus(identity: TestIdentity, req: AccessRequest): object {
  const scope = req.namespace ? `in the namespace "${req.namespace}"` : 'at the cluster scope';
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${req.resource} is forbidden: User "${identity.user}" cannot ${req.verb} resource "${req.resource}" in API group "${req.group}" ${scope}`,
    reason: 'Forbidden',
    details: { kind: req.resource, ...(req.group ? { group: req.group } : {}) },
    code: 403,
  };
}
