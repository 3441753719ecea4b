import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.js';

/**
 * One hostile object must not take `meshlens validate` (nor the server, which builds the same inventory and runs the
 * same checks) down. Before the fixes, a Deployment of 1,000,000 replicas took 13 s and over 1 GB (one pod made per
 * replica), 2147483647 replicas ran out of memory, and the `(a+)+` authority regex below backtracked for 12 s in a
 * JS RegExp on this 28-character run of a's, twice as long for every a more.
 */

// Deployments asking for the int32 maximum and for a million replicas; the DestinationRule's v3 subset selects nothing.
const REPLICAS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  replicas: 2147483647
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
        ports:
        - containerPort: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v2
  namespace: shop
spec:
  replicas: 1000000
  selector:
    matchLabels:
      app: reviews
      version: v2
  template:
    metadata:
      labels:
        app: reviews
        version: v2
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-v2:1.20.2
        ports:
        - containerPort: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
`;

// A host of 28 a's: the MLS1002 check traces it through the gateway, where `(a+)+` is tried on the whole authority.
const HOST = `${'a'.repeat(28)}.example.com`;
const GATEWAY = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront-gateway
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      istio: storefront-gateway
  template:
    metadata:
      labels:
        istio: storefront-gateway
        sidecar.istio.io/inject: "false"
    spec:
      containers:
      - name: istio-proxy
        image: docker.io/istio/proxyv2:1.23.2
        args: [proxy, router]
        ports:
        - containerPort: 80
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: storefront-gateway
  namespace: shop
spec:
  type: LoadBalancer
  selector:
    istio: storefront-gateway
  ports:
  - name: http
    port: 80
  - name: http-partners
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  selector:
    istio: storefront-gateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*.example.com"
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: partners
  namespace: shop
spec:
  selector:
    istio: storefront-gateway
  servers:
  - port:
      number: 8080
      name: http
      protocol: HTTP
    hosts:
    - "*.example.com"
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
        ports:
        - containerPort: 9080
`;
const ROUTES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: shop
spec:
  hosts:
  - ${HOST}
  gateways:
  - public
  http:
  - match:
    - authority:
        regex: "(a+)+"
    route:
    - destination:
        host: reviews
  - route:
    - destination:
        host: reviews
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: partner-api
  namespace: shop
spec:
  hosts:
  - ${HOST}
  gateways:
  - public
  - partners
  http:
  - match:
    - gateways:
      - partners
    route:
    - destination:
        host: reviews
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'meshlens-hostile-'));
  await mkdir(join(root, 'replicas'));
  await writeFile(join(root, 'replicas', 'reviews.yaml'), REPLICAS);
  await mkdir(join(root, 'regex'));
  await writeFile(join(root, 'regex', 'gateway.yaml'), GATEWAY);
  await writeFile(join(root, 'regex', 'routes.yaml'), ROUTES);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** Runs the real `meshlens validate -f <dir>`, timed, with the heap growth it caused. */
async function validate(dir: string): Promise<{ code: number; out: string; err: string; ms: number; heapMB: number }> {
  let out = '';
  let err = '';
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const code = await main(['node', 'meshlens', 'validate', '-f', dir], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  const ms = performance.now() - t0;
  return { code, out, err, ms, heapMB: (process.memoryUsage().heapUsed - heap0) / 2 ** 20 };
}

describe('meshlens validate on hostile manifests', () => {
  it('counts 2147483647 and 1,000,000 replicas without making a pod for each', async () => {
    const dir = join(root, 'replicas');
    const r = await validate(dir);
    expect(r.ms).toBeLessThan(2000);
    expect(r.heapMB).toBeLessThan(200);
    // the inventory still sees the pods the Services select: the empty subset is the one finding
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({
      code: 1,
      out: `${dir}/reviews.yaml:81:5 error KIA0203(IST0173) DestinationRule shop/reviews Subset "v3" selects version=v3, but none of the pods of Service shop/reviews (app=reviews) carries these labels: traffic routed to this subset fails with 503 UH (no healthy upstream).
    fix: Set the subset labels to labels the host's pods carry, or add version=v3 to the pod template of the intended workload.
1 error(s), 0 warning(s), 0 info on 1 object(s)
`,
      err: '',
    });
  });

  it("matches the authority regex '(a+)+' with RE2, in linear time", async () => {
    const dir = join(root, 'regex');
    const r = await validate(dir);
    expect(r.ms).toBeLessThan(2000);
    expect(r.heapMB).toBeLessThan(200);
    // the trace the finding quotes went past `(a+)+` (no match: the host has a dot) to the catch-all route
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({
      code: 1,
      out: `${dir}/routes.yaml:31:5 error MLS1002 VirtualService shop/partner-api This VirtualService binds gateway shop/public, but every rule matches only other gateways (match.gateways), so nothing routes traffic arriving at shop/public. The routing core, tracing ${HOST}:80 arriving at shop/storefront-gateway: reviews.shop.svc.cluster.local:9080 → workload shop/reviews-v1 (1 pod) (delivered): reviews.shop.svc.cluster.local:9080 has endpoints in workload shop/reviews-v1 (1 of 1 pod); requests are spread by pod count.
    fix: Add a rule with match.gateways: [public] (and port/sniHosts as needed) that routes on to the real destination (for egress: the external host, e.g. destination.host ${HOST} port 80), or remove public from spec.gateways.
1 error(s), 0 warning(s), 0 info on 1 object(s)
`,
      err: '',
    });
  });
});
