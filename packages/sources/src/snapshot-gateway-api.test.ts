/** Snapshot bundles keep Gateway API objects, keyed apart from Istio's kinds of the same name. */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests } from '@meshlens/mesh';
import { refKey } from '@meshlens/model';
import { captureSnapshot, createSnapshotSource, decodeSnapshot, encodeSnapshot } from './snapshot-source.js';
import { noTelemetry, type MeshSource } from './source.js';

const GW = 'Gateway.gateway.networking.k8s.io';
const text = readFileSync(new URL('../../mesh/src/inventory/__fixtures__/gateway-api.yaml', import.meta.url), 'utf8');

function fileSource(): MeshSource {
  const { objects, errors } = parseManifests(text, { file: 'gateway-api.yaml' });
  const inventory = buildInventory(objects, errors);
  return { name: 'gateway-api.yaml', kind: 'files', telemetry: noTelemetry, inventory: () => inventory } as unknown as MeshSource;
}

describe('snapshot bundles and the Gateway API', () => {
  it('round-trips every Gateway API kind, and the Istio Gateway of the same name next to them', async () => {
    const source = fileSource();
    const bundle = await captureSnapshot(source, [], { meshlensVersion: '0.1.0', now: () => 1_764_000_000_000 });
    const offline = createSnapshotSource(decodeSnapshot(encodeSnapshot(bundle), 'gw.meshlens.gz'));
    const inv = offline.inventory();
    expect(inv.objects.map((o) => refKey(o.ref)).sort()).toEqual(source.inventory().objects.map((o) => refKey(o.ref)).sort());
    expect(inv.errors).toEqual([]);
    expect(inv.byKey.get('Gateway/bookinfo/bookinfo-gateway')!.object.apiVersion).toBe('networking.istio.io/v1');
    expect(inv.byKey.get(`${GW}/bookinfo/bookinfo-gateway`)!.object.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(Object.fromEntries(Object.entries(inv.gatewayApi).map(([k, v]) => [k, v.length]))).toEqual({ GatewayClass: 1, Gateway: 2, HTTPRoute: 1, GRPCRoute: 1, TCPRoute: 1, TLSRoute: 1, ReferenceGrant: 1 });
    expect(inv.byKey.get('GatewayClass.gateway.networking.k8s.io//istio')!.ref).toEqual({ kind: 'GatewayClass.gateway.networking.k8s.io', name: 'istio' });
  });

  it('rebuilds refs from the objects: a bundle whose ref says Gateway for a Gateway API object cannot pass it off as Istio\'s', async () => {
    const bundle = await captureSnapshot(fileSource(), [], { meshlensVersion: '0.1.0', now: () => 1_764_000_000_000 });
    const json = JSON.parse(gunzipSync(encodeSnapshot(bundle)).toString('utf8'));
    // drop the Istio Gateway and give the Gateway API one a forged bare-kind ref
    json.objects = json.objects.filter((o: { object: { apiVersion: string; kind: string } }) => !(o.object.kind === 'Gateway' && o.object.apiVersion.startsWith('networking.istio.io')));
    for (const o of json.objects) if (o.ref.kind === GW) o.ref.kind = 'Gateway';
    const inv = createSnapshotSource(decodeSnapshot(gzipSync(JSON.stringify(json)), 'forged.meshlens.gz')).inventory();
    expect(inv.byKey.has('Gateway/bookinfo/bookinfo-gateway')).toBe(false);
    expect(inv.istio.Gateway).toEqual([]);
    expect(inv.gatewayApi.Gateway.map((o) => refKey(o.ref))).toEqual([`${GW}/bookinfo/bookinfo-gateway`, `${GW}/bookinfo/waypoint`]);
  });
});
