/**
 * What the side panel fetches to explain a node or an edge: the findings the graph marks nodes with (the graph page's
 * own request, shared through React Query's cache), the objects that apply to an entity (its detail's `istioConfig`),
 * each finding's line on its object page, and for an edge the request behind it and the tracer's answer.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import type { AppliedConfig, ConfigListResponse, ConfigObjectResponse, EdgeData, Finding, NodeData, ObjectRef, PodLogsResponse } from '@meshlens/model';
import { getJson } from '../api/client';
import { ENTITY_KINDS, entityApiPath, podLogsPath, windowParams } from '../api/entities';
import { queryKeys } from '../api/queryKeys';
import { useTrace, useTraceSuggestions } from '../api/trace';
import { objectApiPath, useFindings } from '../config/api';
import { entityOfNode, KIND_OF_TYPE } from '../pages/details/entityLinks';
import { edgeRequest } from '../pages/trace/edgeTrace';
import { useTimeWindow } from '../time/TimeWindow';
import { externalHostsOfConfig, hostsOfAccessLog, whyRequest, type WhyReason, type WhyRequest } from '../explain/edgeWhy';
import { findingLines, findingObjects, mergeFindings, otherNamespaces } from '../explain/panelFindings';

/** The findings of the graph's namespaces and those of other namespaces that involve them (what the graph marks). */
export function useGraphFindings(namespaces: string[]): Finding[] | undefined {
  const findings = useFindings(namespaces, { involving: true, enabled: namespaces.length > 0 });
  return findings.data?.findings;
}

/** The findings of the graph (as above) plus those of the namespaces of `objects` the graph does not show. */
export function useRouteFindings(graphNamespaces: string[], objects: ObjectRef[]): Finding[] {
  const graph = useGraphFindings(graphNamespaces);
  const others = otherNamespaces(objects, graphNamespaces);
  const more = useFindings(others, { enabled: others.length > 0 });
  return mergeFindings(graph, others.length > 0 ? more.data?.findings : []);
}

/** The Istio objects that apply to a node's entity (workload, application or service); [] for nodes without one. */
export function useAppliedConfig(node: NodeData | undefined): { objects: AppliedConfig[]; loading: boolean; entity: boolean } {
  const entity = node ? entityOfNode(node) : null;
  const window = useTimeWindow();
  const kind = entity ? KIND_OF_TYPE[entity.type] : ENTITY_KINDS[1]!;
  const params = windowParams({ duration: window.duration, queryTime: window.queryTime });
  // the detail page's own query (same key): opening "Open details" afterwards is instant
  const detail = useQuery({
    queryKey: queryKeys.entities.detail(kind, entity?.namespace ?? '', entity?.name ?? '', params),
    queryFn: ({ signal }) => getJson<{ istioConfig: AppliedConfig[] }>(`${entityApiPath(kind, entity!.namespace, entity!.name)}?${params}`, signal),
    enabled: entity !== null,
    staleTime: 30_000,
    retry: false,
  });
  if (!entity) return { objects: [], loading: false, entity: false };
  return { objects: detail.data?.istioConfig ?? [], loading: detail.isPending, entity: true };
}

/** Each finding's line on its object page (the object pages' own answers, which the links then open from cache). */
export function useFindingLines(findings: Finding[]): Map<string, number> {
  const objects = findingObjects(findings);
  const answers = useQueries({
    queries: objects.map((ref) => {
      const path = { kind: ref.kind, namespace: ref.namespace ?? '-', name: ref.name };
      return {
        queryKey: queryKeys.config.object(path),
        queryFn: ({ signal }: { signal: AbortSignal }) => getJson<ConfigObjectResponse>(objectApiPath(path), signal),
        staleTime: 30_000,
        retry: false,
      };
    }),
  });
  return findingLines(answers.map((a) => a.data));
}

/**
 * The request the Why section traces for an edge: from its telemetry, or for TCP to an egress cluster (Istio reports no
 * host) from the source proxy's access log, else from the hosts the configuration names.
 */
export function useWhyRequest(edge: EdgeData, source: NodeData | undefined, target: NodeData | undefined, enabled: boolean): { request: WhyRequest | null; loading: boolean } {
  const base = edgeRequest(edge, source, target);
  const needsSuggestions = enabled && base.needsPort && base.host !== null;
  const suggestions = useTraceSuggestions(base.host ?? '', needsSuggestions);
  const needsLog = enabled && !base.host && target?.isEgressCluster !== undefined && base.from !== null && base.from !== 'outside';
  const pod = needsLog ? (source?.pods ?? []).find((p) => p.hasSidecar) : undefined;
  const logPath = pod && source ? podLogsPath({ namespace: source.namespace, pod: pod.name, container: 'istio-proxy', tailLines: 500 }) : '';
  const log = useQuery({
    queryKey: queryKeys.entities.logs(source?.namespace ?? '', pod?.name ?? '', logPath),
    queryFn: ({ signal }) => getJson<PodLogsResponse>(logPath, signal),
    enabled: pod !== undefined,
    staleTime: 60_000,
    retry: false,
  });
  const loggedHosts = log.data && target?.isEgressCluster ? hostsOfAccessLog(log.data.lines, target.isEgressCluster) : [];
  // only when the log has nothing to say: hosts the configuration names
  const needsConfig = needsLog && (pod === undefined || log.isError || (log.isSuccess && loggedHosts.length === 0));
  const config = useQuery({
    queryKey: queryKeys.config.list(''),
    queryFn: ({ signal }) => getJson<ConfigListResponse>('/api/config', signal),
    enabled: needsConfig,
    staleTime: 30_000,
    retry: 1,
  });
  if (!enabled) return { request: null, loading: false };
  const loading = (needsSuggestions && suggestions.isPending) || (pod !== undefined && log.isPending) || (needsConfig && config.isPending);
  if (loading) return { request: null, loading: true };
  const configHosts = needsConfig && config.data ? externalHostsOfConfig(config.data.items) : [];
  return { request: whyRequest(edge, source, target, { suggestions: suggestions.data?.hosts, loggedHosts, configHosts }), loading: false };
}

/** The tracer's answer for the edge's request over the graph's window. */
export function useEdgeTrace(request: WhyRequest | null, reason: WhyReason | null) {
  const window = useTimeWindow();
  const params = request && request.url !== null && reason !== null
    ? (() => {
        const p = new URLSearchParams();
        p.set('from', request.from);
        p.set('url', request.url);
        p.set('duration', String(window.duration));
        if (window.queryTime !== null) p.set('queryTime', String(window.queryTime));
        return p.toString();
      })()
    : null;
  return useTrace(params, window.queryTime === null);
}
