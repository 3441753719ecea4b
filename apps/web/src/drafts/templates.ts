/** Starting points for a new draft: the objects people most often add to fix routing (seed 001 needed the first). */
export const TEMPLATES: Array<{ kind: string; text: string }> = [
  {
    kind: 'ServiceEntry',
    text: `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: external-host
  namespace: default
spec:
  hosts:
  - "*.example.com"
  ports:
  - number: 443
    name: tls
    protocol: TLS
  resolution: NONE
  location: MESH_EXTERNAL
`,
  },
  {
    kind: 'Gateway',
    text: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: my-gateway
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "*"
`,
  },
  {
    kind: 'VirtualService',
    text: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: my-routes
  namespace: default
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
`,
  },
  {
    kind: 'DestinationRule',
    text: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: my-subsets
  namespace: default
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
`,
  },
  {
    kind: 'AuthorizationPolicy',
    text: `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-frontend
  namespace: default
spec:
  selector:
    matchLabels:
      app: reviews
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/productpage"]
`,
  },
];
