/**
 * A small cluster for the auth tests: `bookinfo` (readable by the viewer) and `payments` (not), traffic between
 * them, and the identities of the test API server: Meshlens's service account, a viewer, an admin.
 */
import type { KubeObject, PromSample, TelemetrySamples } from '@meshlens/model';
import type { TestIdentity } from '@meshlens/sources/testing';
import type { FrontUser } from '../testing/auth-front.js';

export const SA_TOKEN = 'meshlens-sa-token';
export const VIEWER_TOKEN = 'jane-viewer-token';
export const ADMIN_TOKEN = 'ops-admin-token';

export const OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'productpage', namespace: 'bookinfo', labels: { app: 'productpage' } }, spec: { selector: { app: 'productpage' }, ports: [{ name: 'http', port: 9080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'bookinfo', labels: { app: 'reviews' } }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ledger', namespace: 'payments', labels: { app: 'ledger' } }, spec: { selector: { app: 'ledger' }, ports: [{ name: 'http', port: 8080 }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'bookinfo' }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'ledger', namespace: 'payments' }, spec: { hosts: ['ledger'], http: [{ timeout: '2s', route: [{ destination: { host: 'ledger' } }] }] } },
];

/** The viewer may read bookinfo only: no Namespaces list, nothing in payments, nothing across all namespaces. */
export const IDENTITIES: TestIdentity[] = [
  { token: SA_TOKEN, user: 'system:serviceaccount:meshlens:meshlens' },
  { token: VIEWER_TOKEN, user: 'jane', deny: [{ resources: ['namespaces'] }, { namespaces: ['payments'] }, { allNamespaces: true }] },
  { token: ADMIN_TOKEN, user: 'ops' },
];

export const FRONT_USERS: FrontUser[] = [
  { token: SA_TOKEN, user: 'system:serviceaccount:meshlens:meshlens', groups: ['system:serviceaccounts'] },
  { token: VIEWER_TOKEN, user: 'jane', groups: ['bookinfo-viewers'] },
  { token: ADMIN_TOKEN, user: 'ops', groups: ['system:masters'] },
];

const edge = (src: [string, string, string], dst: [string, string, string], rps: number): PromSample => ({
  metric: {
    reporter: 'destination',
    source_workload: `${src[1]}-v1`, source_workload_namespace: src[0], source_canonical_service: src[1], source_canonical_revision: 'v1', source_app: src[1], source_version: 'v1', source_cluster: 'Kubernetes',
    destination_service: `${dst[2]}.${dst[0]}.svc.cluster.local`, destination_service_name: dst[2], destination_service_namespace: dst[0],
    destination_workload: `${dst[1]}-v1`, destination_workload_namespace: dst[0], destination_canonical_service: dst[1], destination_canonical_revision: 'v1', destination_app: dst[1], destination_version: 'v1', destination_cluster: 'Kubernetes',
    request_protocol: 'http', response_code: '200', response_flags: '-', grpc_response_status: '', connection_security_policy: 'mutual_tls', destination_principal: 'unknown', source_principal: 'unknown',
  },
  value: [1_760_000_000, String(rps)],
});

/** productpage → reviews (bookinfo), productpage → ledger (into payments), ledger → ledger-db (inside payments). */
export const SAMPLES: TelemetrySamples = {
  istio_requests_total: [
    edge(['bookinfo', 'productpage', 'productpage'], ['bookinfo', 'reviews', 'reviews'], 10),
    edge(['bookinfo', 'productpage', 'productpage'], ['payments', 'ledger', 'ledger'], 2),
    edge(['payments', 'ledger', 'ledger'], ['payments', 'ledger-db', 'ledger-db'], 4),
  ],
};
