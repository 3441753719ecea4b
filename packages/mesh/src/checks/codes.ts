/** The catalogue of finding codes: Kiali's where Kiali has the check, Meshlens's (`MLS…`) otherwise, with istioctl aliases. */
import type { Severity } from '@meshlens/model';

export interface CodeInfo {
  severity: Severity;
  /** The `istioctl analyze` code of the same check, when it has one. */
  istioCode?: string;
  /** One line: what the check looks for (used as SARIF rule text and in the UI's legend). */
  title: string;
}

/** Every code a Meshlens check can emit. */
export const CODES: Record<string, CodeInfo> = {
  MLS0000: { severity: 'error', title: 'A file or document could not be parsed or loaded' },
  KIA0002: { severity: 'error', title: 'More than one selector-less object in the same namespace' },
  KIA0003: { severity: 'error', title: 'More than one object applied to the same workload' },
  KIA0004: { severity: 'warning', title: 'No matching workload found for the selector in this namespace' },
  KIA0005: { severity: 'error', title: 'No matching namespace found for exportTo' },
  KIA0101: { severity: 'warning', istioCode: 'IST0101', title: 'AuthorizationPolicy source namespace not found' },
  KIA0102: { severity: 'warning', title: 'AuthorizationPolicy methods: only HTTP methods and Istio wildcards are allowed' },
  KIA0104: { severity: 'error', title: 'AuthorizationPolicy host has no matching entry in the service registry' },
  KIA0105: { severity: 'error', title: 'AuthorizationPolicy field requires mTLS, which is not in force for the selected workloads' },
  KIA0106: { severity: 'error', title: 'Service account not found for this principal' },
  KIA0108: { severity: 'warning', title: "Principal's trust domain is not the mesh's (nor one of its aliases)" },
  KIA0201: { severity: 'warning', title: 'More than one DestinationRule for the same host and subset' },
  KIA0202: { severity: 'error', istioCode: 'IST0174', title: 'DestinationRule host has no matching entry in the service registry' },
  KIA0203: { severity: 'error', istioCode: 'IST0173', title: "Subset's labels select no pod of the host" },
  KIA0204: { severity: 'warning', title: 'DestinationRule without TLS settings overrides the mTLS of a mesh- or namespace-wide DestinationRule (auto-mTLS off)' },
  KIA0205: { severity: 'error', title: 'Mesh-wide DestinationRule sends ISTIO_MUTUAL but no PeerAuthentication enables mTLS at mesh level' },
  KIA0206: { severity: 'error', title: 'Namespace-wide DestinationRule sends ISTIO_MUTUAL but no PeerAuthentication enables mTLS in the namespace' },
  KIA0207: { severity: 'error', title: 'DestinationRule disables mTLS while a namespace-wide or workload PeerAuthentication requires it (STRICT)' },
  KIA0208: { severity: 'error', title: 'DestinationRule disables mTLS while the mesh-wide PeerAuthentication requires it (STRICT)' },
  KIA0209: { severity: 'warning', title: 'Subset has no labels' },
  KIA0301: { severity: 'warning', istioCode: 'IST0145', title: 'Gateways on the same workload and port with overlapping hosts' },
  KIA0302: { severity: 'warning', istioCode: 'IST0101', title: 'Gateway selector matches no workload' },
  KIA0401: { severity: 'error', title: 'Mesh-wide PeerAuthentication STRICT but no mesh-wide DestinationRule sends mTLS (auto-mTLS off)' },
  KIA0501: { severity: 'error', title: 'Namespace-wide PeerAuthentication STRICT but no DestinationRule sends mTLS to the namespace (auto-mTLS off)' },
  KIA0505: { severity: 'error', title: 'PeerAuthentication disables mTLS in a namespace (or workload) while a DestinationRule sends mTLS there' },
  KIA0506: { severity: 'error', title: 'Mesh-wide PeerAuthentication disables mTLS while a mesh-wide DestinationRule sends mTLS' },
  KIA0601: { severity: 'warning', istioCode: 'IST0118', title: 'Service port name does not follow <protocol>[-suffix]' },
  KIA0602: { severity: 'warning', istioCode: 'IST0118', title: 'Service port appProtocol does not name a protocol Istio knows' },
  KIA0701: { severity: 'warning', title: "No workload of the Service exposes the port the Service targets" },
  KIA1004: { severity: 'warning', title: 'Sidecar egress host has no matching entry in the service registry' },
  KIA1006: { severity: 'warning', title: 'Global default Sidecar (root namespace) should not have a workloadSelector' },
  KIA1007: { severity: 'info', title: 'Sidecar outboundTrafficPolicy without mode means REGISTRY_ONLY' },
  KIA1101: { severity: 'error', istioCode: 'IST0101', title: 'Route destination host not found in the service registry' },
  KIA1102: { severity: 'error', istioCode: 'IST0101', title: 'VirtualService points to a Gateway that does not exist' },
  KIA1104: { severity: 'warning', title: 'Weight on a route with a single destination' },
  KIA1105: { severity: 'warning', title: 'Same host and subset twice in one route' },
  KIA1106: { severity: 'warning', istioCode: 'IST0109', title: 'More than one VirtualService bound to mesh for the same host' },
  KIA1107: { severity: 'warning', istioCode: 'IST0101', title: 'Subset not found in any DestinationRule for the host' },
  KIA1108: { severity: 'info', title: 'Preferred gateway reference form: <gateway namespace>/<gateway name>' },
  KIA1211: { severity: 'warning', title: 'More than one ServiceEntry for the same host and port' },
  KIA1212: { severity: 'warning', istioCode: 'IST0177', title: 'ServiceEntries with conflicting protocols for the same host and port' },
  KIA1701: { severity: 'warning', title: 'WorkloadGroup service account not found in its namespace' },
  KIA1702: { severity: 'warning', title: 'WorkloadGroups with the same labels in one namespace' },
  MLS0101: { severity: 'warning', istioCode: 'IST0132', title: "VirtualService host not served by a bound Gateway's servers" },
  MLS0102: { severity: 'error', istioCode: 'IST0112', title: 'Destination port required: the service has several ports' },
  MLS0103: { severity: 'warning', istioCode: 'IST0130', title: 'Route rule can never match' },
  MLS0104: { severity: 'info', istioCode: 'IST0131', title: 'Match repeats or is shadowed by an earlier match' },
  MLS0105: { severity: 'warning', istioCode: 'IST0140', title: 'Subset routing of the mesh has no effect on gateway requests' },
  MLS0106: { severity: 'error', istioCode: 'IST0101', title: 'Route destination port not declared by the service' },
  MLS0201: { severity: 'warning', istioCode: 'IST0128', title: 'TLS SIMPLE/MUTUAL without caCertificates (destination level)' },
  MLS0202: { severity: 'warning', istioCode: 'IST0129', title: 'TLS SIMPLE/MUTUAL without caCertificates (port level)' },
  MLS0203: { severity: 'warning', title: 'ISTIO_MUTUAL towards a workload without sidecar' },
  MLS0301: { severity: 'warning', istioCode: 'IST0162', title: "Gateway port not exposed by the gateway workload's Service" },
  MLS0302: { severity: 'error', istioCode: 'IST0101', title: "credentialName Secret not found in the gateway workload's namespace" },
  MLS0303: { severity: 'warning', istioCode: 'IST0138', title: 'Same certificate on several Gateways of one workload' },
  MLS0401: { severity: 'warning', istioCode: 'IST0134', title: 'ServiceEntry addresses required for TCP or unset protocol' },
  MLS0501: { severity: 'info', istioCode: 'IST0102', title: 'Namespace not enabled for sidecar injection' },
  MLS0502: { severity: 'warning', istioCode: 'IST0103', title: 'Pod without sidecar in an injected namespace' },
  MLS0503: { severity: 'warning', istioCode: 'IST0123', title: 'Namespace has several injection labels' },
  MLS0504: { severity: 'warning', istioCode: 'IST0150', title: 'Invalid port name for an ExternalName Service' },
  MLS0505: { severity: 'error', istioCode: 'IST0110', title: 'Several Sidecars select the same workload' },
  MLS0506: { severity: 'error', istioCode: 'IST0111', title: 'Several Sidecars without workload selector in one namespace' },
  MLS0507: { severity: 'warning', istioCode: 'IST0127', title: 'AuthorizationPolicy selects no workload' },
  MLS0508: { severity: 'error', istioCode: 'IST0101', title: 'Sidecar workload selector matches no pod' },
  MLS0509: { severity: 'info', istioCode: 'IST0148', title: 'Namespace injected by default (enableNamespacesByDefault)' },
  MLS0510: { severity: 'warning', istioCode: 'IST0167', title: 'Sidecar has no effect on ambient workloads' },
  MLS0511: { severity: 'warning', istioCode: 'IST0116', title: 'Deployment behind several Services using one port with different protocols' },
  MLS0512: { severity: 'warning', istioCode: 'IST0137', title: 'Deployment behind several Services mapping one targetPort to different ports' },
  MLS0107: { severity: 'warning', istioCode: 'IST0165', title: 'VirtualService refers to an implementation-generated internal Gateway' },
  MLS1001: { severity: 'error', title: 'Mesh VirtualService host not in the registry: sidecars never apply it (PassthroughCluster)' },
  MLS1002: { severity: 'error', title: 'VirtualService binds a Gateway but no rule matches traffic arriving there' },
  MLS1003: { severity: 'error', title: 'Egress path through an egress gateway is incomplete' },
  MLS1004: { severity: 'error', title: "Subset labels match pods outside the host's own workloads" },
  MLS1005: { severity: 'warning', title: 'Hand-made Service/Deployment shadows an installed Istio gateway' },
};

/** Severity and Istio alias of `code` (unknown codes are errors: a check must never emit one). */
export function codeInfo(code: string): CodeInfo {
  return CODES[code] ?? { severity: 'error', title: code };
}
