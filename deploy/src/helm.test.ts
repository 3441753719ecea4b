/**
 * The Helm chart renders to the same objects as deploy/kubernetes for its defaults, and its values do what they
 * say. No `helm` binary is installable here (not in Debian's archive nor on npm), so helm-template.ts evaluates
 * the Go-template subset the chart uses and refuses anything outside it.
 */
import { describe, expect, it } from 'vitest';
import { objectsOf, parseTemplate, renderChart, Renderer, TemplateError } from './helm-template.js';
import { CHART_DIR, keyOf, loadManifests, type KubeManifest } from './manifests.js';

const render = (values: Record<string, unknown> = {}) =>
  objectsOf(renderChart(CHART_DIR, { releaseName: 'meshlens', namespace: 'meshlens', values }).values()) as KubeManifest[];
const sorted = (objects: KubeManifest[]) => [...objects].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
const find = (objects: KubeManifest[], kind: string) => objects.find((o) => o.kind === kind) as KubeManifest & Record<string, any>;
const container = (objects: KubeManifest[]) => find(objects, 'Deployment').spec.template.spec.containers[0];
const rules = (objects: KubeManifest[]) => find(objects, 'ClusterRole').rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }>;

describe('helm chart deploy/helm/meshlens', () => {
  const manifests = loadManifests().map((m) => m.object);

  it('renders, with default values, exactly the objects of deploy/kubernetes (the Namespace left to --create-namespace)', () => {
    expect(sorted(render())).toEqual(sorted(manifests.filter((o) => o.kind !== 'Namespace')));
  });

  it('namespace.create=true adds the Namespace: then every object of deploy/kubernetes, and nothing else', () => {
    expect(sorted(render({ namespace: { create: true } }))).toEqual(sorted(manifests));
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
    const tpl = parseTemplate('{{ .A | b64enc }}', 't.yaml');
    expect(() => new Renderer(tpl.defines, 't.yaml').render(tpl.nodes, { A: 'x' })).toThrow(/function "b64enc" is outside the subset/);
  });
});

