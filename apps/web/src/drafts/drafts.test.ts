import { describe, expect, it } from 'vitest';
import { changeSetDiff, changeSetYaml, diffLines, documentRef, kubectlCommand } from './changeSet';
import { decodeDrafts, encodeDrafts, shareLink } from './shareLink';
import { draftTitle, type Draft } from './store';
import { traceRequestOf } from './traceRequest';

const draft = (text: string, base?: Draft['base']): Draft => ({ id: text.length.toString(), text, ...(base ? { base } : {}), createdAt: 0, updatedAt: 0 });
const SE = 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: wikipedia\n  namespace: istio-system\nspec:\n  hosts: ["*.wikipedia.org"]\n';
const DR_LIVE = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: egressgateway\n  namespace: istio-system\nspec:\n  subsets:\n  - name: wildcard\n    labels:\n      version: v1\n';
const DR = DR_LIVE.replace('version: v1', 'istio: egressgateway');
const DEL = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: old\n  namespace: shop\n  annotations:\n    meshlens.io/draft: delete\n';

describe('the change set as files', () => {
  const drafts = [draft(SE), draft(DR, { ref: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, yaml: DR_LIVE }), draft(DEL)];

  it('one multi-document YAML, deletions kept as their markers and explained in the header', () => {
    const y = changeSetYaml(drafts, new Date('2026-12-04T10:00:00.123Z'));
    expect(y.split('\n').slice(0, 3)).toEqual([
      '# Meshlens change set: 3 objects, drafted 2026-12-04T10:00:00Z; nothing was applied.',
      '# Check it offline:  meshlens validate -f <your manifests> --with changes.yaml',
      '# 1 document annotated meshlens.io/draft: delete stands for a deletion: kubectl delete it, do not apply it.',
    ]);
    expect(y.split('\n---\n')).toHaveLength(4);
    expect(y).toContain(SE.trimEnd());
  });

  it('a kubectl apply -f - command with a here-document, then kubectl delete for the marked objects', () => {
    const c = kubectlCommand(drafts);
    expect(c.startsWith("kubectl apply -f - <<'MESHLENS_DRAFTS'\napiVersion: networking.istio.io/v1\nkind: ServiceEntry")).toBe(true);
    expect(c).toContain('\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule');
    expect(c.endsWith('MESHLENS_DRAFTS\nkubectl delete service -n shop old\n')).toBe(true);
    expect(c).not.toContain('meshlens.io/draft');
  });

  it('a line diff against the live object; a new object is all additions', () => {
    expect(diffLines('a\nb\nc\n', 'a\nx\nc\n')).toEqual([{ op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'x' }, { op: ' ', text: 'c' }]);
    const d = changeSetDiff(drafts.slice(0, 2));
    expect(d).toContain('--- live: (new)\n+++ draft: serviceentry -n istio-system wikipedia\n+apiVersion');
    expect(d).toContain('--- live: DestinationRule istio-system/egressgateway\n');
    expect(d).toContain('\n-      version: v1\n+      istio: egressgateway\n');
    expect(documentRef(DEL)).toEqual({ kind: 'Service', namespace: 'shop', name: 'old' });
  });

  it('titles drafts by their first object', () => {
    expect(draftTitle(draft(SE))).toBe('ServiceEntry istio-system/wikipedia');
    expect(draftTitle(draft(`${SE}---\n${DR}`))).toBe('ServiceEntry istio-system/wikipedia (+1)');
    expect(draftTitle(draft('kind: [\n'))).toBe('New draft');
  });
});

describe('the change set in a link', () => {
  it('round-trips through drafts= (deflate, base64url)', async () => {
    const drafts = [draft(SE), draft(DR, { ref: { kind: 'DestinationRule', namespace: 'istio-system', name: 'egressgateway' }, yaml: DR_LIVE })];
    const value = await encodeDrafts(drafts);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = await decodeDrafts(value, 5);
    expect(back.map((d) => [d.text, d.base])).toEqual(drafts.map((d) => [d.text, d.base]));
    const link = await shareLink('http://127.0.0.1:1/trace?from=default/pod1', drafts);
    expect('url' in link && new URL(link.url).searchParams.get('drafts')).toBe(value);
  });

  it('says when the change set is too large for a link, and when a value is damaged', async () => {
    // incompressible text
    let noise = '';
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      noise += String.fromCharCode(33 + (x % 90));
    }
    expect(await shareLink('http://x/', [draft(noise)])).toEqual({ tooLarge: expect.any(Number) });
    await expect(decodeDrafts('not-a-change-set')).rejects.toThrow(/damaged/);
  });
});

describe('the trace request of the trace page', () => {
  it('reads from= and url= as meshlens trace does', () => {
    expect(traceRequestOf({ from: 'default/pod1', url: 'https://en.wikipedia.org' })).toEqual({
      source: { kind: 'workload', namespace: 'default', name: 'pod1' }, protocol: 'https', host: 'en.wikipedia.org', port: 443, sni: 'en.wikipedia.org',
    });
    expect(traceRequestOf({ from: 'outside', url: 'reviews:9080/x?y=1', headers: ['End-User: jason'] })).toEqual({
      source: { kind: 'outside' }, protocol: 'http', host: 'reviews', port: 9080, path: '/x?y=1', method: 'GET', headers: { 'end-user': 'jason' },
    });
    expect(traceRequestOf({ from: 'nope', url: 'http://a' })).toBeUndefined();
  });
});
