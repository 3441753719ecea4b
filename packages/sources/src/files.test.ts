import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifestPaths } from './files.js';
import { parseSamples } from './samples-file.js';

const tree = fileURLToPath(new URL('./__fixtures__/tree', import.meta.url));

describe('loadManifestPaths', () => {
  it('walks a directory tree, keeps the good objects and reports the bad one with file and line', async () => {
    const loaded = await loadManifestPaths([tree], { cwd: fileURLToPath(new URL('./__fixtures__/', import.meta.url)) });
    expect(loaded.files).toEqual(['tree/good.yaml', 'tree/nested/broken.yml', 'tree/nested/list.json']);
    expect(loaded.objects.map((o) => `${o.ref.kind} ${o.ref.namespace}/${o.ref.name} ${o.origin.file}:${o.origin.line}`)).toEqual([
      'Service shop/ratings tree/good.yaml:1',
      'DestinationRule shop/ratings tree/nested/broken.yml:9',
      'ServiceAccount shop/bookinfo-ratings tree/nested/list.json:2',
    ]);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ file: 'tree/nested/broken.yml', line: 8 });
  });

  it('reports a missing path and still loads the others', async () => {
    const loaded = await loadManifestPaths(['/nonexistent/manifests', `${tree}/good.yaml`]);
    expect(loaded.errors).toEqual([{ file: '/nonexistent/manifests', message: 'cannot read path: no such file or directory' }]);
    expect(loaded.objects.map((o) => o.ref.name)).toEqual(['ratings']);
  });
});

describe('parseSamples', () => {
  it('keeps good samples, reports the rest', () => {
    const { samples, warnings } = parseSamples({
      istio_requests_total: [{ metric: { reporter: 'source' }, value: [1, '2.5'] }, { metric: {}, value: 'bad' }],
      node_cpu_seconds_total: [],
    }, 'x.json');
    expect(samples).toEqual({ istio_requests_total: [{ metric: { reporter: 'source' }, value: [1, '2.5'] }] });
    expect(warnings).toEqual([
      'x.json: istio_requests_total[1] is not a sample {metric:{…}, value:[ts,"v"]}; skipped',
      'x.json: metric "node_cpu_seconds_total" is not an Istio metric Meshlens reads; ignored',
    ]);
  });
});
