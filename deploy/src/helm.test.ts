/**
 * The Helm chart renders to the same objects as deploy/kubernetes for its defaults, and its values do what they
 * say. No `helm` binary is installable here (not in Debian's archive nor on npm), so helm-template.ts evaluates
 * the Go-template subset the chart uses and refuses anything outside it.
 */
import { describe, expect, it } from 'vitest';
import { objectsOf, parseTemplate, renderChart, Renderer, TemplateError, type Lookup } from './helm-template.js';
import { CHART_DIR, keyOf, loadManifests, type KubeManifest } from './manifests.js';

/** The session-keys Secret a previous install left in the cluster (what `lookup` finds on upgrade). */
const INSTALLED_KEY = Buffer.alloc(32, 0x5a).toString('base64');
const installed: Lookup = (apiVersion, kind, namespace, name) =>
  apiVersion === 'v1' && kind === 'Secret' && namespace === 'meshlens' && name === 'meshlens-session-keys'
    ? { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: { keys: Buffer.from(INSTALLED_KEY).toString('base64') } }
    : undefined;
/** Renders as an upgrade of an installed release (so the Secret's key is the installed one); `lookup: null` for an install. */
const render = (values: Record<string, unknown> = {}, lookup: Lookup | null = installed) =>
  objectsOf(renderChart(CHART_DIR, { releaseName: 'meshlens', namespace: 'meshlens', values, lookup: lookup ?? undefined }).values()) as KubeManifest[];
/** The chart's objects that deploy/kubernetes has too: not the generated Secret (plain manifests: made by hand). */
const withoutSecret = (objects: KubeManifest[]) => objects.filter((o) => o.kind !== 'Secret');
const sorted = (objects: KubeManifest[]) => [...objects].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
const find = (objects: KubeManifest[], kind: string) => objects.find((o) => o.kind === kind) as KubeManifest & Record<string, any>;
const container = (objects: KubeManifest[]) => find(objects, 'Deployment').spec.template.spec.containers[0];
const rules = (objects: KubeManifest[]) => find(objects, 'ClusterRole').rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }>;

describe('helm chart deploy/helm/meshlens', () => {
  const manifests = loadManifests().map((m) => m.object);

  it('renders, with default values, exactly the objects of deploy/kubernetes (the Namespace left to --create-namespace) and the session-keys Secret', () => {
    expect(sorted(withoutSecret(render()))).toEqual(sorted(manifests.filter((o) => o.kind !== 'Namespace')));
    expect(render().filter((o) => o.kind === 'Secret').map(keyOf)).toEqual(['Secret meshlens/meshlens-session-keys']);
  });

  it('namespace.create=true adds the Namespace: then every object of deploy/kubernetes, and nothing else', () => {
    expect(sorted(withoutSecret(render({ namespace: { create: true } })))).toEqual(sorted(manifests));
  });

  it('makes the session-keys Secret with a new random key at install, keeps the installed key on upgrade, and mounts it for --session-key-file', () => {
    const secretOf = (objects: KubeManifest[]) => find(objects, 'Secret') as KubeManifest & { type: string; data: Record<string, string> };
    const first = secretOf(render({}, null));
    const second = secretOf(render({}, null));
    expect(first).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'meshlens-session-keys', namespace: 'meshlens', labels: { 'app.kubernetes.io/name': 'meshlens', 'app.kubernetes.io/instance': 'meshlens', 'app.kubernetes.io/version': '0.1.0' } }, type: 'Opaque', data: { keys: expect.any(String) } });
    for (const s of [first, second]) {
      // The file is one line, the base64 of 32 random bytes: what `meshlens session-key` prints.
      const file = Buffer.from(s.data.keys!, 'base64').toString();
      expect(file).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(file, 'base64')).toHaveLength(32);
    }
    expect(first.data.keys).not.toBe(second.data.keys);
    // An upgrade finds the Secret (lookup) and keeps its key: logins survive `helm upgrade`.
    expect(Buffer.from(secretOf(render()).data.keys!, 'base64').toString()).toBe(INSTALLED_KEY);
    const pod = find(render(), 'Deployment').spec.template.spec;
    const c = container(render());
    expect(pod.volumes).toContainEqual({ name: 'session-keys', secret: { secretName: 'meshlens-session-keys' } });
    expect(c.volumeMounts).toContainEqual({ name: 'session-keys', mountPath: '/etc/meshlens/session-keys', readOnly: true });
    expect(c.args).toEqual(['serve', '--in-cluster', '--session-key-file', '/etc/meshlens/session-keys/keys']);
  });

  it('sessionKeys.existingSecret mounts that Secret instead and makes none', () => {
    const out = render({ sessionKeys: { existingSecret: 'meshlens-keys-from-vault' } });
    expect(out.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(find(out, 'Deployment').spec.template.spec.volumes).toContainEqual({ name: 'session-keys', secret: { secretName: 'meshlens-keys-from-vault' } });
    expect(sorted(out.filter((o) => o.kind !== 'Deployment'))).toEqual(sorted(render().filter((o) => o.kind !== 'Deployment' && o.kind !== 'Secret')));
  });

  it('replicas (default 2) with soft anti-affinity on the node, and a PodDisruptionBudget of minAvailable 1 when there is more than one', () => {
    const d = find(render(), 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.affinity).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: d.spec.selector.matchLabels } } }] } });
    expect(find(render(), 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
    expect(find(render({ replicas: 3 }), 'Deployment').spec.replicas).toBe(3);
    expect(render({ replicas: 3 }).map((o) => o.kind)).toContain('PodDisruptionBudget');
    // One replica: a budget of one available would block every node drain, so there is none.
    expect(render({ replicas: 1 }).map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    expect(render({ podDisruptionBudget: { enabled: false } }).map((o) => o.kind)).not.toContain('PodDisruptionBudget');
  });

  it('image, NodePort, resources and the Prometheus URL come from values', () => {
    const out = render({
      image: { repository: 'registry.example.com/tools/meshlens', tag: '1.2.3', pullPolicy: 'Always' },
      service: { nodePort: 31999 },
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } },
      prometheus: { url: 'http://thanos-query.monitoring:9090' },
    });
    const c = container(out);
    expect([c.image, c.imagePullPolicy]).toEqual(['registry.example.com/tools/meshlens:1.2.3', 'Always']);
    // Maps merge into the defaults, as with `helm -f`: limits.cpu stays.
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(c.env.find((e: { name: string }) => e.name === 'MESHLENS_PROMETHEUS_URL').value).toBe('http://thanos-query.monitoring:9090');
    expect(find(out, 'Service').spec.ports[0]).toEqual({ name: 'http', port: 20080, targetPort: 'http', nodePort: 31999, protocol: 'TCP' });
  });

  it('auth.mode=header impersonates instead of reviewing tokens, and passes the header names', () => {
    const out = render({ auth: { mode: 'header', headerUser: 'X-Auth-Request-User', headerGroups: 'X-Auth-Request-Groups' } });
    const r = rules(out);
    expect(r.filter((x) => x.verbs.some((v) => !['get', 'list', 'watch'].includes(v)))).toEqual([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]);
    const env = Object.fromEntries(container(out).env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ MESHLENS_AUTH: 'header', MESHLENS_AUTH_HEADER_USER: 'X-Auth-Request-User', MESHLENS_AUTH_HEADER_GROUPS: 'X-Auth-Request-Groups' });
  });

  it('allowedHosts passes the console\'s DNS names (the Host allowlist against DNS rebinding); none by default', () => {
    const env = (out: KubeManifest[]) => container(out).env.filter((e: { name: string }) => e.name === 'MESHLENS_ALLOWED_HOSTS');
    expect(env(render())).toEqual([]);
    expect(env(render({ allowedHosts: 'meshlens.example.com,meshlens.meshlens.svc' }))).toEqual([{ name: 'MESHLENS_ALLOWED_HOSTS', value: 'meshlens.example.com,meshlens.meshlens.svc' }]);
  });

  it('frameAncestors passes the origins that may frame the console (CSP frame-ancestors); none by default', () => {
    const env = (out: KubeManifest[]) => container(out).env.filter((e: { name: string }) => e.name === 'MESHLENS_FRAME_ANCESTORS');
    expect(env(render())).toEqual([]);
    expect(env(render({ frameAncestors: "'self',https://portal.example.com" }))).toEqual([{ name: 'MESHLENS_FRAME_ANCESTORS', value: "'self',https://portal.example.com" }]);
  });

  it('rbac.podLogs (default true) grants get on pods/log for the Logs tab; false leaves it out and changes nothing else', () => {
    const logsRule = { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] };
    expect(rules(render())).toContainEqual(logsRule);
    expect(rules(render({ rbac: { podLogs: true } }))).toEqual(rules(render()));
    const off = render({ rbac: { podLogs: false } });
    expect(rules(off)).not.toContainEqual(logsRule);
    expect(rules(off)).toEqual(rules(render()).filter((r) => !r.resources.includes('pods/log')));
    expect(sorted(off.filter((o) => o.kind !== 'ClusterRole'))).toEqual(sorted(render().filter((o) => o.kind !== 'ClusterRole')));
  });

  it('auth.mode=anonymous grants nothing but reads', () => {
    const out = render({ auth: { mode: 'anonymous' } });
    expect(rules(out).flatMap((x) => x.verbs).every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    expect(container(out).env.find((e: { name: string }) => e.name === 'MESHLENS_AUTH').value).toBe('anonymous');
  });

  it('an empty prometheus.url lets Meshlens find Prometheus through the API server proxy, limited to the named Services', () => {
    const out = render({ prometheus: { url: '' } });
    expect(rules(out).at(-1)).toEqual({ apiGroups: [''], resources: ['services/proxy'], resourceNames: ['prometheus:9090', 'prometheus:http', 'prometheus:http-web', 'prometheus:web'], verbs: ['get', 'create'] });
    expect(container(out).env.map((e: { name: string }) => e.name)).not.toContain('MESHLENS_PROMETHEUS_URL');
  });

  it('the evaluator follows Helm on trimming, include/nindent, toYaml key order, default and quote', () => {
    const tpl = parseTemplate('{{- define "l" -}}\na: {{ .X | quote }}\n{{- end -}}\nx:\n  {{- include "l" .V | nindent 2 }}\ny: {{ .Missing | default "d" }}\nz:\n  {{- toYaml .M | nindent 2 }}\n', 't.yaml');
    const out = new Renderer(tpl.defines, 't.yaml').render(tpl.nodes, { V: { X: 7 }, M: { b: [1, 2], a: 'q' } });
    expect(out).toBe('x:\n  a: "7"\ny: d\nz:\n  a: q\n  b:\n    - 1\n    - 2\n');
  });

  it('refuses template syntax outside its subset instead of rendering it wrong', () => {
    expect(() => parseTemplate('{{ range .Values.list }}x{{ end }}', 't.yaml')).toThrow(TemplateError);
    expect(() => parseTemplate('{{ $x := 1 }}', 't.yaml')).toThrow(/outside the subset/);
    expect(() => parseTemplate('{{ if .A }}x', 't.yaml')).toThrow(/not closed/);
    const tpl = parseTemplate('{{ .A | sha256sum }}', 't.yaml');
    expect(() => new Renderer(tpl.defines, 't.yaml').render(tpl.nodes, { A: 'x' })).toThrow(/function "sha256sum" is outside the subset/);
    const gt = parseTemplate('{{ gt .A 1 }}', 't.yaml');
    expect(() => new Renderer(gt.defines, 't.yaml').render(gt.nodes, { A: '2' })).toThrow(/gt compares numbers/);
  });

  it('the evaluator follows Sprig and Helm on b64enc, randBytes, dig, int, gt and lookup', () => {
    const tpl = parseTemplate('a: {{ "key" | b64enc }}\nb: {{ randBytes 32 }}\nc: {{ dig "data" "keys" "none" (lookup "v1" "Secret" "ns" "s") }}\nd: {{ dig "x" "y" "none" .M }}\ne: {{ gt (int .N) 1 }}\n', 't.yaml');
    const out = new Renderer(tpl.defines, 't.yaml', (v, k, ns, n) => (n === 's' ? { data: { keys: `${v}/${k}/${ns}` } } : undefined)).render(tpl.nodes, { M: { x: {} }, N: 2.0 });
    expect(out).toMatch(/^a: a2V5\nb: [A-Za-z0-9+/]{43}=\nc: v1\/Secret\/ns\nd: none\ne: true\n$/);
    const missing = parseTemplate('{{ dig "data" "keys" "none" (lookup "v1" "Secret" "ns" "other") }}', 't.yaml');
    expect(new Renderer(missing.defines, 't.yaml').render(missing.nodes, {})).toBe('none');
  });
});

