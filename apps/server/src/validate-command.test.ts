import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { main } from './cli.js';

const dir = (name: string) => relative(process.cwd(), fileURLToPath(new URL(`./__fixtures__/validate/${name}`, import.meta.url)));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'meshlens', 'validate', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe('meshlens validate', () => {
  it('text: a clean tree has no findings and exits 0', async () => {
    expect(await run('-f', dir('clean'))).toEqual({ code: 0, out: '0 error(s), 0 warning(s), 0 info on 0 object(s)\n', err: '' });
  });

  it('text: one line per finding (file:line:col severity CODE Kind ns/name message), fix below; a broken file is a finding and the rest is still checked; exit 1', async () => {
    const r = await run('-f', dir('broken'));
    const b = dir('broken');
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const lines = r.out.trimEnd().split('\n');
    expect(lines.filter((l) => !l.startsWith('    fix: ')).map((l) => l.split(' ').slice(0, 5).join(' '))).toEqual([
      `${b}/bad.yaml:8:1 error MLS0000 File ${b}/bad.yaml`,
      `${b}/routes.yaml:7:11 error MLS1001 VirtualService shop/ratings`,
      `${b}/routes.yaml:10:21 error KIA1101(IST0101) VirtualService shop/ratings`,
      '3 error(s), 0 warning(s), 0',
    ]);
    expect(lines[5]).toMatch(/^ {4}fix: Create a Service or ServiceEntry for ratings\.shop\.svc\.cluster\.local exported to shop/);
    expect(lines[2]).toContain('the routing core answers: PassthroughCluster');
  });

  it('text: names and messages from the files cannot drive the terminal (escape sequences, newlines written as \\xNN)', async () => {
    const dirPath = mkdtempSync(join(tmpdir(), 'meshlens-escapes-'));
    // a VirtualService routing to a host no registry defines, its name and host carrying ESC sequences and a newline
    writeFileSync(join(dirPath, 'vs.yaml'), [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      '  name: "evil\\e[2J\\e]0;pwned\\a"',
      '  namespace: shop',
      'spec:',
      '  hosts: ["ratings\\e[31m\\nfake: 0 error(s)"]',
      '  http:',
      '  - route:',
      '    - destination: {host: "ratings\\e[31m\\nfake: 0 error(s)"}',
      '',
    ].join('\n'));
    const r = await run('-f', dirPath);
    expect(r.code).toBe(1);
    // no control character reaches stdout but the report's own newlines
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(r.out)).toBe(false);
    expect(r.out).toContain('VirtualService shop/evil\\x1b[2J\\x1b]0;pwned\\x07 ');
    expect(r.out).toContain('ratings\\x1b[31m\\x0afake: 0 error(s)');
    // every line is a finding, a fix or the summary: the newline in the host forged none
    expect(r.out.trimEnd().split('\n').every((l) => l.startsWith(dirPath) || l.startsWith('    fix: ') || /^\d+ error\(s\)/.test(l))).toBe(true);
  });

  it('json: {findings, summary} with positions and fixes', async () => {
    const r = await run('-f', dir('broken'), '--output', 'json');
    expect(r.code).toBe(1);
    const body = JSON.parse(r.out);
    expect(body.summary).toEqual({ error: 3, warning: 0, info: 0, objects: 2 });
    expect(body.findings.map((f: any) => [f.code, f.istioCode, f.object, f.path, f.line, f.column])).toEqual([
      ['MLS0000', undefined, { kind: 'File', name: `${dir('broken')}/bad.yaml` }, '', 8, 1],
      ['MLS1001', undefined, { kind: 'VirtualService', namespace: 'shop', name: 'ratings' }, 'spec.hosts[0]', 7, 11],
      ['KIA1101', 'IST0101', { kind: 'VirtualService', namespace: 'shop', name: 'ratings' }, 'spec.http[0].route[0].destination.host', 10, 21],
    ]);
    expect(body.findings.every((f: any) => typeof f.fix === 'string' && f.fix.length > 20)).toBe(true);
  });

  it('sarif: 2.1.0 with rules and results located by startLine/startColumn; related locations for references', async () => {
    const r = await run('-f', dir('warn'), '-o', 'sarif', '--fail-on', 'warning');
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe('meshlens');
    expect(run0.tool.driver.rules.map((x: any) => [x.id, x.help.text, x.defaultConfiguration.level])).toEqual([
      ['KIA0201', 'More than one DestinationRule for the same host and subset', 'warning'],
      ['KIA0209', 'Subset has no labels', 'warning'],
    ]);
    const w = dir('warn');
    expect(run0.results.map((x: any) => [x.ruleId, x.ruleIndex, x.level, x.locations[0].physicalLocation])).toEqual([
      ['KIA0201', 0, 'warning', { artifactLocation: { uri: `${w}/mesh.yaml` }, region: { startLine: 42, startColumn: 3 } }],
      ['KIA0201', 0, 'warning', { artifactLocation: { uri: `${w}/subset.yaml` }, region: { startLine: 7, startColumn: 3 } }],
      ['KIA0209', 1, 'warning', { artifactLocation: { uri: `${w}/subset.yaml` }, region: { startLine: 11, startColumn: 5 } }],
    ]);
    expect(run0.results[0].relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: `${w}/subset.yaml` }, region: { startLine: 7 } }, message: { text: 'DestinationRule shop/reviews-all spec.host: same host' } },
    ]);
    expect(run0.results[2].relatedLocations).toBeUndefined();
  });

  it('--fail-on: warnings pass at the default threshold (error) and fail at warning or info', async () => {
    expect((await run('-f', dir('warn'))).code).toBe(0);
    expect((await run('-f', dir('warn'), '--fail-on', 'warning')).code).toBe(1);
    expect((await run('-f', dir('warn'), '--fail-on', 'info')).code).toBe(1);
    expect((await run('-f', dir('clean'), '--fail-on', 'info')).code).toBe(0);
  });

  it('usage errors exit 2: unknown option, bad --output or --fail-on, no readable input', async () => {
    expect((await run('-f', dir('clean'), '--frobnicate')).code).toBe(2);
    const badOut = await run('-f', dir('clean'), '--output', 'xml');
    expect(badOut).toEqual({ code: 2, out: '', err: 'meshlens: --output "xml": expected text, json or sarif\n' });
    expect((await run('-f', dir('clean'), '--fail-on', 'fatal')).code).toBe(2);
    const none = await run('-f', 'does/not/exist');
    expect(none).toEqual({ code: 2, out: '', err: 'meshlens: -f does/not/exist (no such file or directory): give an existing manifest file or directory\n' });
    // one missing path among good ones is as much a usage error: the user named a file that is not there
    const oneOfTwo = await run('-f', dir('clean'), '-f', 'does/not/exist');
    expect(oneOfTwo).toEqual({ code: 2, out: '', err: 'meshlens: -f does/not/exist (no such file or directory): give an existing manifest file or directory\n' });
    expect((await run()).code).toBe(2);
    expect((await run('-f')).code).toBe(2);
  });

  it('leaves Kubernetes\' own namespaces alone, as istioctl does: no port-name or injection finding in kube-system or kube-public', async () => {
    const r = await run('-f', dir('system'), '--output', 'json', '--fail-on', 'info');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).findings.map((f: any) => `${f.code}(${f.istioCode}) ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} @${f.line}`)).toEqual([
      'KIA0601(IST0118) Service shop/catalog @45',
    ]);
  });

  it('--mesh-config: a MeshConfig file (istioctl\'s --meshConfigFile) or the istio ConfigMap decides what the checks assume', async () => {
    const without = await run('-f', dir('mesh'), '--output', 'json');
    expect(JSON.parse(without.out).findings.map((f: any) => `${f.code}(${f.istioCode}) ${f.object.name}`)).toEqual(['MLS0401(IST0134) billing-db']);
    // DNS capture with auto-allocation: a TCP ServiceEntry needs no addresses
    expect(await run('-f', dir('mesh'), '--mesh-config', dir('mesh-config/dns-auto-allocate.yaml'))).toEqual({ code: 0, out: '0 error(s), 0 warning(s), 0 info on 0 object(s)\n', err: '' });
    expect(await run('-f', dir('mesh'), '--mesh-config', dir('mesh-config/istio-configmap.yaml'))).toEqual({ code: 0, out: '0 error(s), 0 warning(s), 0 info on 0 object(s)\n', err: '' });
  });

  it('--mesh-config: a file that is missing or is no mesh config is a usage error', async () => {
    const missing = await run('-f', dir('mesh'), '--mesh-config', 'no/such/mesh.yaml');
    expect(missing).toEqual({ code: 2, out: '', err: 'meshlens: --mesh-config no/such/mesh.yaml: no such file\n' });
    const service = await run('-f', dir('mesh'), '--mesh-config', dir('mesh-config/service.yaml'));
    expect(service.code).toBe(2);
    expect(service.err).toBe(`meshlens: --mesh-config ${dir('mesh-config/service.yaml')}: this is a Service; expected a MeshConfig (e.g. defaultConfig: {proxyMetadata: {ISTIO_META_DNS_AUTO_ALLOCATE: "true"}}) or the istio ConfigMap with data.mesh\n`);
    const list = await run('-f', dir('mesh'), '--mesh-config', dir('list/dump.yaml'));
    expect(list.code).toBe(2);
    const directory = await run('-f', dir('mesh'), '--mesh-config', dir('mesh-config'));
    expect(directory).toMatchObject({ code: 2, err: expect.stringContaining('is a directory, not a MeshConfig file') });
  });

  it('--namespace reports only that namespace, with references still resolved across namespaces; --all-namespaces is the default', async () => {
    const findings = async (...args: string[]) => JSON.parse((await run('-f', dir('namespaces'), '--output', 'json', ...args)).out).findings.map((f: any) => `${f.code} ${f.object.namespace}/${f.object.name} ${f.path}`);
    const all = ['KIA0601 back/api spec.ports[0].name', 'KIA1101 front/api spec.http[0].route[0].destination.host'];
    expect(await findings()).toEqual(all);
    expect(await findings('--all-namespaces')).toEqual(all);
    expect(await findings('-A')).toEqual(all);
    // front's route to api.back is fine: back's Service is loaded although only front is reported
    expect(await findings('--namespace', 'front')).toEqual(['KIA1101 front/api spec.http[0].route[0].destination.host']);
    expect(await findings('-n', 'back')).toEqual(['KIA0601 back/api spec.ports[0].name']);
    const summary = JSON.parse((await run('-f', dir('namespaces'), '--output', 'json', '-n', 'back')).out).summary;
    expect(summary).toEqual({ error: 0, warning: 1, info: 0, objects: 1 });
    expect((await run('-f', dir('namespaces'), '-n', 'back')).code).toBe(0);
    expect(await run('-f', dir('namespaces'), '-n', 'nowhere')).toEqual({ code: 2, out: '', err: 'meshlens: --namespace nowhere: no object of the manifests is in this namespace (they use: back, front)\n' });
    expect(await run('-f', dir('namespaces'), '-n', 'front', '-A')).toEqual({ code: 2, out: '', err: 'meshlens: --namespace and --all-namespaces cannot be used together: choose one namespace or all of them\n' });
  });

  it('reads a `kubectl get -o yaml` List: each finding on its item\'s own line', async () => {
    const r = await run('-f', dir('list'), '--output', 'json');
    const l = dir('list');
    expect(JSON.parse(r.out).findings.map((f: any) => [f.code, f.object.kind, f.file, f.line, f.column])).toEqual([
      ['KIA0601', 'Service', `${l}/dump.yaml`, 16, 7],
      ['KIA1107', 'VirtualService', `${l}/dump.yaml`, 33, 11],
    ]);
  });
});

describe('meshlens validate --list-checks', () => {
  it("lists every code Meshlens emits and each of Kiali's 72, saying why a Kiali code is not emitted", async () => {
    const { code, out } = await run('--list-checks', '-o', 'json');
    expect(code).toBe(0);
    const entries = JSON.parse(out) as Array<{ code: string; status: string; reason?: string; severity: string; title: string; istioCode?: string }>;
    const kiali = entries.filter((e) => e.code.startsWith('KIA'));
    expect(kiali.length).toBe(72);
    expect(entries.find((e) => e.code === 'KIA0203')).toEqual({ code: 'KIA0203', severity: 'error', istioCode: 'IST0173', title: "Subset's labels select no pod of the host", status: 'implemented' });
    expect(entries.find((e) => e.code === 'KIA0107')).toMatchObject({ status: 'not applicable', reason: expect.stringMatching(/one cluster at a time/) });
    for (const e of entries) if (e.status !== 'implemented') expect(e.reason, e.code).toBeTruthy();
    expect(entries.filter((e) => e.code.startsWith('MLS')).every((e) => e.status === 'implemented')).toBe(true);
    const text = await run('--list-checks');
    expect(text.out).toMatch(/^KIA0002 /);
    expect(text.out).toMatch(/\n\d+ codes implemented \(\d+ of Kiali's 72\); 1 not applicable; \d+ not yet\.\n$/);
  });

  it("is the README's table, and refuses -f with it", async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const table = /<!-- checks:begin -->\n([\s\S]*?)\n<!-- checks:end -->/.exec(readme)?.[1];
    const { out } = await run('--list-checks', '-o', 'markdown');
    // npm run docs:checks writes it
    expect(table).toBe(out.trimEnd());
    const withFile = await run('--list-checks', '-f', 'x.yaml');
    expect(withFile.code).toBe(2);
    expect(withFile.err).toContain('--list-checks prints the catalogue of checks: it takes no -f');
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain("required option '-f, --filename <path>' not specified");
  });
});
