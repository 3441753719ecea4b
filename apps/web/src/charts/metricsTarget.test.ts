import type { NodeData } from '@meshlens/model';
import { describe, expect, it } from 'vitest';
import { edgeSubject, metricsPath, nodeSubject, nodeTarget } from './metricsTarget';

// Node data as the demo's versioned-app graph sends it (workload is present on app nodes too).
const productpage: NodeData = { id: 'vapp:bookinfo:productpage:v1', nodeType: 'app', namespace: 'bookinfo', workload: 'productpage-v1', app: 'productpage', version: 'v1' };
const reviews2: NodeData = { id: 'vapp:bookinfo:reviews:v2', nodeType: 'app', namespace: 'bookinfo', workload: 'reviews-v2', app: 'reviews', version: 'v2' };
const ratingsSvc: NodeData = { id: 'svc:bookinfo:ratings', nodeType: 'service', namespace: 'bookinfo', service: 'ratings' };
const google: NodeData = {
  id: 'se:egress:google', nodeType: 'service', namespace: 'egress', service: 'google',
  isServiceEntry: { hosts: ['www.google.com'], location: 'MESH_EXTERNAL', namespace: 'egress', name: 'google', resolution: 'DNS' },
};
const unknown: NodeData = { id: 'unknown', nodeType: 'unknown', namespace: 'unknown', label: 'unknown' };
const sleepWl: NodeData = { id: 'wl:egress:sleep', nodeType: 'workload', namespace: 'egress', workload: 'sleep', app: 'sleep' };

describe('metrics targets of graph nodes', () => {
  it('names each node by the label its graph type uses', () => {
    expect(nodeTarget(productpage)).toEqual({ ok: true, target: { namespace: 'bookinfo', app: 'productpage', version: 'v1' } });
    expect(nodeTarget(sleepWl)).toEqual({ ok: true, target: { namespace: 'egress', workload: 'sleep' } });
    expect(nodeTarget(ratingsSvc)).toEqual({ ok: true, target: { namespace: 'bookinfo', service: 'ratings' } });
    expect(nodeTarget(google)).toEqual({ ok: true, target: { namespace: 'egress', service: 'www.google.com' } });
    expect(nodeTarget(unknown)).toEqual({ ok: true, target: { namespace: 'unknown', workload: 'unknown' } });
    expect(nodeTarget({ id: 'box', nodeType: 'box', namespace: 'bookinfo', isBox: 'namespace' })).toMatchObject({ ok: false });
  });

  it('asks service nodes for inbound traffic only', () => {
    expect(nodeSubject(ratingsSvc, 'outbound')).toEqual({ ok: true, subject: { target: { namespace: 'bookinfo', service: 'ratings' }, direction: 'inbound' } });
    expect(nodeSubject(productpage, 'outbound')).toMatchObject({ ok: true, subject: { direction: 'outbound' } });
  });

  it('asks an edge to a workload from the destination, with the source as peer', () => {
    expect(edgeSubject(productpage, reviews2)).toEqual({
      ok: true,
      subject: { target: { namespace: 'bookinfo', app: 'reviews', version: 'v2' }, direction: 'inbound', peer: { namespace: 'bookinfo', app: 'productpage', version: 'v1' } },
    });
  });

  it('asks an edge to a service node from the source, outbound, with the service as peer', () => {
    expect(edgeSubject(reviews2, ratingsSvc)).toEqual({
      ok: true,
      subject: { target: { namespace: 'bookinfo', app: 'reviews', version: 'v2' }, direction: 'outbound', peer: { namespace: 'bookinfo', service: 'ratings' } },
    });
    expect(edgeSubject(sleepWl, google)).toMatchObject({ ok: true, subject: { direction: 'outbound', peer: { namespace: 'egress', service: 'www.google.com' } } });
    expect(edgeSubject(unknown, ratingsSvc)).toMatchObject({ ok: true, subject: { direction: 'inbound', target: { service: 'ratings' }, peer: { workload: 'unknown' } } });
    expect(edgeSubject(productpage, undefined)).toMatchObject({ ok: false });
  });

  it('writes the query string of the contract', () => {
    const r = edgeSubject(productpage, reviews2);
    if (!r.ok) throw new Error(r.reason);
    expect(metricsPath(r.subject, 1763820000, 1763820600)).toBe(
      '/api/metrics?namespace=bookinfo&app=reviews&version=v2&direction=inbound&peerNamespace=bookinfo&peerApp=productpage&peerVersion=v1&start=1763820000&end=1763820600',
    );
  });
});
