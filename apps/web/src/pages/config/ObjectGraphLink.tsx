/**
 * An object page's "show in the graph": the graph of the namespaces the object needs, with idle nodes when its target
 * had no traffic, the node it stands for (or the workloads it configures) selected and found — or, when the graph can
 * draw nothing for it, the namespace's graph and a sentence saying why (explain/objectGraph.ts).
 */
import { Link } from '@tanstack/react-router';
import type { ObjectRef } from '@meshlens/model';
import { useEntityList } from '../../api/entities';
import { useNamespaces } from '../../api/queries';
import { useConfigList } from '../../config/api';
import { candidateNamespaces, objectGraphTarget } from '../../explain/objectGraph';
import { UntrustedText } from '../../components/UntrustedText';
import { graphLink } from '../../router/links';

export function ObjectGraphLink({ object, references, selection }: { object: ObjectRef; references: ObjectRef[] | undefined; selection: string[] | null }) {
  const known = useNamespaces();
  const configList = useConfigList(object.namespace ? [object.namespace] : null);
  const item = configList.data?.items.find((i) => i.ref.kind === object.kind && i.ref.namespace === object.namespace && i.ref.name === object.name);
  const hosts = item?.hosts ?? [];
  const names = new Set((known.data?.namespaces ?? []).map((n) => n.name));
  const candidates = candidateNamespaces(object, references ?? [], hosts).filter((ns) => names.has(ns));
  const ready = references !== undefined && known.data !== undefined && !configList.isPending;
  const w = { namespaces: candidates, duration: 600, queryTime: null };
  const workloads = useEntityList('workloads', w, ready && candidates.length > 0);
  const services = useEntityList('services', w, ready && candidates.length > 0);
  const loading = !ready || (candidates.length > 0 && (workloads.isPending || services.isPending));
  if (loading) {
    return <span className="graph-link muted" data-testid="graph-link-pending">Finding it in the graph…</span>;
  }
  const target = objectGraphTarget(object, { workloads: workloads.data?.workloads ?? [], services: services.data?.services ?? [] }, selection, hosts);
  return (
    <span className="graph-link-wrap">
      <Link
        className="graph-link"
        {...graphLink(target.namespaces, { find: target.find, focus: target.focus, graphType: target.graphType, idle: target.idle })}
        data-testid="graph-link"
        data-found={target.found ? 'true' : 'false'}
      >
        <UntrustedText text={target.found ? target.text : `Graph of ${target.namespaces.join(', ')}`} lines={2} />
      </Link>
      {!target.found && <span className="graph-link-why muted small" data-testid="graph-link-why"><UntrustedText text={target.text} lines={2} /></span>}
    </span>
  );
}
