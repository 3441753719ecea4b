/** The side panel of an edge: rates by response class, responses by code, latency, throughput, mTLS. */
import type { EdgeData, GraphResponse } from '@meshlens/model';
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../format/units';
import { edgePercentErr, edgePercentReq, edgeTotal, httpClasses } from '../graph/edgeTraffic';
import { nodeTitle } from '../graph/nodeLabel';
import { Facts, HealthText, Section } from './parts';
import { EdgeCharts } from '../charts/MetricsCharts';
import { EdgeDetailLinks } from '../pages/details/NodeDetailLinks';
import { EdgeTraceLink } from './TraceLinks';
import { decidingRules, pathOfEdge, whyReason } from '../explain/edgeWhy';
import { edgeFindings, edgeRoutingObjects } from '../explain/panelFindings';
import { FindingsSection, RoutingObjectsSection } from './PanelFindings';
import { useAppliedConfig, useEdgeTrace, useRouteFindings, useWhyRequest } from './usePanelExplain';
import { UntrustedText } from '../components/UntrustedText';
import { WhySection } from './WhySection';
import type { DiffFields, WhatIfEdgeFields } from '../drafts/graphDiff';

const REPORTER_WORDS: Record<EdgeData['reporter'], string> = {
  destination: 'Destination proxy',
  source: 'Source proxy',
  mixed: 'Source and destination proxies',
  none: 'No proxy: drawn from configuration',
};

function percentMap(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${formatPercent(v)}`)
    .join(', ');
}

export function EdgePanel({ edge, graph, onSelect, whatIf }: { edge: EdgeData; graph: GraphResponse; onSelect: (id: string) => void; whatIf?: 'drafts' | 'compare' }) {
  const byId = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data]));
  const source = byId.get(edge.source);
  const target = byId.get(edge.target);
  const { protocol } = edge.traffic;
  const share = edgePercentReq(edge);
  const rt = edge.responseTimes ?? (edge.responseTime !== undefined ? { p95: edge.responseTime } : undefined);
  const classes = protocol === 'http' ? httpClasses(edge) : undefined;
  const rates: Array<[string, string | undefined]> =
    protocol === 'tcp'
      ? [['Total', formatBytesPerSecond(edgeTotal(edge))]]
      : protocol === 'grpc'
        ? [
            ['Total', formatRps(edgeTotal(edge))],
            ['Errors', formatRps(edge.traffic.rates.grpcErr ?? 0)],
            ['No response', formatRps(edge.traffic.rates.grpcNoResponse ?? 0)],
            ['Error %', formatPercent(edgePercentErr(edge))],
          ]
        : [
            ['Total', formatRps(classes!.total)],
            ['2xx', formatRps(classes!.ok)],
            ['3xx', formatRps(classes!.redirect)],
            ['4xx', formatRps(classes!.clientError)],
            ['5xx', formatRps(classes!.serverError)],
            ['No response', formatRps(classes!.noResponse)],
            ['Error %', formatPercent(edgePercentErr(edge))],
          ];
  rates.push(['Share of source traffic', share !== undefined ? formatPercent(share) : undefined]);
  const responses = Object.entries(edge.traffic.responses).sort(([a], [b]) => a.localeCompare(b));
  // Explaining in place: the tracer's answer for this edge's traffic, its findings and the objects that route it.
  // An edge of the graph with drafts (new with them, predicted by the tracer, or any edge when the whole graph is the
  // drafts') is not explained by the live configuration: its "why" would contradict it. The what-if card says where
  // the drafts send the traffic. In Compare, the edges of now keep their live explanation.
  const drafted = edge as EdgeData & DiffFields & WhatIfEdgeFields;
  const draftsOnly = whatIf === 'drafts' || drafted.mlDiff === 'added' || drafted.mlPredicted === true;
  const reason = draftsOnly ? null : whyReason(edge, target);
  const why = useWhyRequest(edge, source, target, reason !== null);
  const trace = useEdgeTrace(why.request, reason);
  const targetApplied = useAppliedConfig(target);
  const sourceApplied = useAppliedConfig(source);
  const rules = trace.data ? decidingRules(trace.data, pathOfEdge(trace.data, edge.target, target)) : [];
  const routing = edgeRoutingObjects(rules, targetApplied.objects, sourceApplied.objects);
  const findings = useRouteFindings(graph.namespaces, routing.map((o) => o.ref));
  const ownFindings = edgeFindings(target, routing.map((o) => o.ref), findings);
  const targetLabel = target ? nodeTitle(target) : edge.target;
  return (
    <>
      <h2 className="panel-title">
        <span className="panel-kind">{`Edge · ${protocol.toUpperCase()}${edge.isMirror ? ' · mirrored' : ''}`}</span>
        <button type="button" className="link-button" onClick={() => onSelect(edge.source)}>
          <UntrustedText text={source ? nodeTitle(source) : edge.source} lines={2} />
        </button>
        {' → '}
        <button type="button" className="link-button" onClick={() => onSelect(edge.target)}>
          <UntrustedText text={target ? nodeTitle(target) : edge.target} lines={2} />
        </button>
      </h2>
      <EdgeDetailLinks source={source} target={target} />
      <EdgeTraceLink edge={edge} source={source} target={target} resolved={why.request?.url ? { from: why.request.from, url: why.request.url } : undefined} />
      {reason && (
        <WhySection
          key={edge.id}
          edge={edge}
          target={target}
          targetLabel={targetLabel}
          reason={reason}
          request={why.request}
          requestLoading={why.loading}
          trace={trace}
          namespaces={graph.namespaces}
          faultObjects={targetApplied.objects.filter((o) => o.badges.includes('FI')).map((o) => o.ref)}
        />
      )}
      {draftsOnly && (
        <p className="panel-note" data-testid="edge-drafts-only">
          This edge is drawn with your drafts, so the live configuration does not explain it: the what-if card above the graph lists the requests whose path changes, each with a trace that compares now and with drafts.
        </p>
      )}
      <RoutingObjectsSection
        objects={routing}
        namespaces={graph.namespaces}
        title="Configuration on its route"
        empty={trace.isPending || targetApplied.loading ? null : 'No Istio object routes this traffic: the mesh defaults decide.'}
        loading={trace.isPending && reason !== null}
        testId="edge-routing-objects"
      />
      <FindingsSection findings={ownFindings} namespaces={graph.namespaces} title="Findings on its route" testId="edge-findings" />
      <Facts
        rows={[
          ['Protocol', protocol.toUpperCase()],
          ['Reported by', REPORTER_WORDS[edge.reporter] ?? edge.reporter],
          ['Health', protocol === 'tcp' && !edge.healthStatus ? <span className="muted">Not rated: TCP has no request errors</span> : <HealthText health={edge.healthStatus} />],
          ['Mirrored traffic', edge.isMirror ? 'Yes: responses are ignored by the caller' : undefined],
          [
            'Egress router forward',
            edge.isConfigured
              ? `Port ${edge.isConfigured.port}/${edge.isConfigured.protocol} → ${target?.isExternalIP?.ip ?? edge.target}:${edge.isConfigured.targetPort}, from the router's EGRESS_DESTINATION. Its pod has no sidecar, so no proxy reports this traffic.`
              : undefined,
          ],
          ['mTLS', edge.isMTLS !== undefined ? formatPercent(edge.isMTLS) : undefined],
          ['Throughput', edge.throughput !== undefined ? formatBytesPerSecond(edge.throughput) : undefined],
        ]}
      />
      <Section title={protocol === 'tcp' ? 'Traffic' : 'Request rates'}>
        <Facts rows={rates} />
      </Section>
      {rt && protocol !== 'tcp' && (
        <Section title="Response time">
          <Facts
            rows={[
              ['Average', rt.avg !== undefined ? formatMs(rt.avg) : undefined],
              ['p50', rt.p50 !== undefined ? formatMs(rt.p50) : undefined],
              ['p95', rt.p95 !== undefined ? formatMs(rt.p95) : undefined],
              ['p99', rt.p99 !== undefined ? formatMs(rt.p99) : undefined],
            ]}
          />
        </Section>
      )}
      <EdgeCharts key={edge.id} edge={edge} source={source} target={target} />
      {responses.length > 0 && (
        <Section title="Responses by code">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Flags</th>
                <th scope="col">Hosts</th>
              </tr>
            </thead>
            <tbody>
              {responses.map(([code, detail]) => (
                <tr key={code}>
                  <td>{code === '-' ? (protocol === 'tcp' ? 'TCP' : 'none') : code}</td>
                  <td>{percentMap(detail.flags)}</td>
                  <td className="break">{protocol === 'tcp' && Object.keys(detail.hosts).every((h) => h === 'unknown') ? 'not reported for TCP' : percentMap(detail.hosts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {protocol === 'tcp'
              ? "Percent of this edge's connections. Istio's TCP metrics carry no response code and no destination host."
              : "Percent of this edge's requests. Flag “-” means none; see Envoy's response flags for others."}
          </p>
        </Section>
      )}
    </>
  );
}
