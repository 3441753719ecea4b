/** Walks the destinations of a VirtualService (routes and mirrors, every section) with their YAML paths. */
import type { InventoryObject } from '@meshlens/model';
import { arr, rec } from './lookup.js';

export interface VsDestination {
  section: 'http' | 'tcp' | 'tls';
  rule: number;
  /** Path of the `destination` object (or of `mirror`). */
  path: string;
  host: string;
  subset?: string;
  port?: number;
  mirror: boolean;
  /** Number of destinations in the route this destination belongs to (0 for mirrors). */
  routeSize: number;
  weight?: number;
}

/** Every route destination and mirror of a VirtualService, in document order. */
export function vsDestinations(vs: InventoryObject): VsDestination[] {
  const out: VsDestination[] = [];
  const spec = rec(vs.object.spec);
  for (const section of ['http', 'tcp', 'tls'] as const) {
    arr(spec[section]).forEach((r, i) => {
      const rule = rec(r);
      const route = arr(rule.route);
      route.forEach((d, j) => {
        const dest = rec(rec(d).destination);
        // a route entry without destination host is a destination to nowhere: reported as an unknown (empty) host
        out.push({
          section, rule: i, path: `spec.${section}[${i}].route[${j}].destination`, host: typeof dest.host === 'string' ? dest.host : '',
          subset: typeof dest.subset === 'string' ? dest.subset : undefined,
          port: typeof rec(dest.port).number === 'number' ? rec(dest.port).number : undefined,
          mirror: false, routeSize: route.length, weight: typeof rec(d).weight === 'number' ? rec(d).weight : undefined,
        });
      });
      if (section !== 'http') return;
      const mirror = rec(rule.mirror);
      if (typeof mirror.host === 'string') {
        out.push({ section, rule: i, path: `spec.http[${i}].mirror`, host: mirror.host, subset: typeof mirror.subset === 'string' ? mirror.subset : undefined, port: typeof rec(mirror.port).number === 'number' ? rec(mirror.port).number : undefined, mirror: true, routeSize: 0 });
      }
      arr(rule.mirrors).forEach((m, k) => {
        const dest = rec(rec(m).destination);
        if (typeof dest.host !== 'string') return;
        out.push({ section, rule: i, path: `spec.http[${i}].mirrors[${k}].destination`, host: dest.host, subset: typeof dest.subset === 'string' ? dest.subset : undefined, port: typeof rec(dest.port).number === 'number' ? rec(dest.port).number : undefined, mirror: true, routeSize: 0 });
      });
    });
  }
  return out;
}
