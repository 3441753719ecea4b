/**
 * A user's telemetry: what Meshlens's own Prometheus identity returns, cut to the namespaces the user can see —
 * for the graph's samples and for the charts a snapshot taken by that user records.
 */
import { describe, expect, it } from 'vitest';
import { createDemoSource, noTelemetry, type FamilySeries, type TelemetryMatrix } from '@meshlens/sources';
import { scopedTelemetry } from './identity-view.js';

const NS_LABELS = ['source_workload_namespace', 'destination_service_namespace', 'destination_workload_namespace'];
const namesOf = (m: TelemetryMatrix): string[] => [...new Set(Object.values(m.families).flatMap((list: FamilySeries[] | undefined) => (list ?? []).flatMap((s) => NS_LABELS.map((l) => s.metric[l]).filter((v): v is string => Boolean(v)))))].sort();

describe('scopedTelemetry', () => {
  it('records a snapshot\'s charts for the visible namespaces only, dropping series that name a hidden one', async () => {
    const demo = createDemoSource({ seed: 1 });
    const all = [...demo.inventory().namespaces.keys()].sort();
    const T = 1_763_776_800;
    const query = { namespaces: all, start: T - 600, end: T, step: 15, rateInterval: 60 };
    const full = await demo.telemetry.rangeMatrix!(query);
    // The ingress gateway in istio-system sends traffic into bookinfo-routing: that edge is istio-system's too.
    expect(namesOf(full)).toEqual(expect.arrayContaining(['bookinfo-routing', 'istio-system']));

    const scoped = scopedTelemetry(() => demo.telemetry, () => new Set(['bookinfo-routing']));
    const mine = await scoped.rangeMatrix!(query);
    expect(namesOf(mine).filter((n) => n !== 'unknown')).toEqual(['bookinfo-routing']);
    expect(mine.families.istio_requests_total!.length).toBeGreaterThan(3);
    expect(mine.timestamps).toEqual(full.timestamps);
    // What the user's matrix keeps is exactly the full matrix's series inside bookinfo-routing.
    const inside = (s: FamilySeries) => NS_LABELS.every((l) => !s.metric[l] || s.metric[l] === 'bookinfo-routing' || s.metric[l] === 'unknown');
    expect(mine.families.istio_requests_total).toEqual(full.families.istio_requests_total!.filter(inside));

    expect(scopedTelemetry(() => noTelemetry, () => new Set(['bookinfo-routing'])).rangeMatrix).toBeUndefined();
  });
});
