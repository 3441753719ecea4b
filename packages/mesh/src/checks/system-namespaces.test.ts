/**
 * Kubernetes' own namespaces (kube-system, kube-public, kube-node-lease, local-path-storage) are outside the mesh by
 * design: as istioctl analyze, no port-name (IST0118/IST0150) or injection (IST0102/IST0103/IST0123/IST0148)
 * finding there, nor Kiali's Service port check (KIA0701; Kiali excludes ^kube-.* by default), while the very same
 * objects in an application namespace get them.
 */
import { describe, expect, it } from 'vitest';
import { buildInventory, checkInventory, parseManifests, SYSTEM_NAMESPACES } from '../index.js';

function objectsIn(ns: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    istio-injection: enabled
    istio.io/rev: canary
---
apiVersion: v1
kind: Service
metadata:
  name: dns
  namespace: ${ns}
spec:
  selector: {k8s-app: dns}
  ports:
  - name: dns
    port: 53
  - port: 9153
---
apiVersion: v1
kind: Service
metadata:
  name: upstream
  namespace: ${ns}
spec:
  type: ExternalName
  externalName: dns.example.com
  ports:
  - name: tcp
    port: 53
---
apiVersion: v1
kind: Pod
metadata:
  name: dns-0
  namespace: ${ns}
  labels: {k8s-app: dns}
spec:
  containers:
  - name: dns
    image: coredns
    ports:
    - containerPort: 53
`;
}

function codes(ns: string): string[] {
  const { objects, errors } = parseManifests(objectsIn(ns), { file: `${ns}.yaml` });
  return checkInventory(buildInventory(objects, errors)).map((f) => `${f.istioCode ?? f.code} ${f.object.kind} ${f.object.name}`).sort();
}

describe('checks in Kubernetes\' own namespaces', () => {
  it('judge the objects of an application namespace', () => {
    expect(codes('shop')).toEqual([
      'IST0103 Pod dns-0',
      // port 9153, unnamed; port 53 ("dns") is one of Istio's well-known TCP ports, not judged by its name
      'IST0118 Service dns',
      'IST0123 Namespace shop',
      'IST0150 Service upstream',
      'KIA0701 Service dns',
    ]);
  });

  it('leave the same objects alone in kube-system, kube-public, kube-node-lease and local-path-storage', () => {
    expect([...SYSTEM_NAMESPACES].sort()).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage']);
    for (const ns of SYSTEM_NAMESPACES) expect({ ns, codes: codes(ns) }).toEqual({ ns, codes: [] });
  });
});
