/** The side panel of a node: identity, health, traffic, Istio configuration badges in words, pods. */
import type { GraphResponse, NodeData } from '@meshlens/model';
import { formatRatio } from '../format/units';
import { nodeBadges } from '../graph/badges';
import { nodeTitle } from '../graph/nodeLabel';
import { EGRESS_CLUSTER_HELP, formatNodeRate, nodeKind, rateName } from './describe';
import { BoxMembers } from './BoxMembers';
import { NeighbourEdges } from './NeighbourEdges';
import { Facts, HealthText, Section, TextList } from './parts';
import { NodeCharts } from '../charts/MetricsCharts';
import { NodeDetailLinks } from '../pages/details/NodeDetailLinks';
import { NodeTraceLink } from './TraceLinks';
import { Link } from '@tanstack/react-router';
import { appliedObjects, nodeFindings } from '../explain/panelFindings';
import { objectLink } from '../router/links';
import { FindingsSection, RoutingObjectsSection } from './PanelFindings';
import { UntrustedText } from '../components/UntrustedText';
import { useAppliedConfig, useGraphFindings } from './usePanelExplain';

export function NodePanel({ node, graph, onSelect }: { node: NodeData; graph: GraphResponse; onSelect: (id: string) => void }) {
  const badges = nodeBadges(node);
  const rates = (node.traffic ?? []).flatMap((t) => Object.entries(t.rates).map(([key, value]) => [key, value] as const));
  // Explaining in place: the findings the graph marks this node with, and the Istio objects that apply to it.
  const findings = useGraphFindings(graph.namespaces);
  const own = findings ? nodeFindings(node, findings) : [];
  const applied = useAppliedConfig(node.isBox ? undefined : node);
  const namespaces = graph.namespaces;
  return (
    <>
      <h2 className="panel-title">
        <span className="panel-kind">{nodeKind(node)}</span>
        <UntrustedText text={nodeTitle(node)} lines={2} testId="panel-name" />
      </h2>
      <NodeDetailLinks node={node} />
      <NodeTraceLink node={node} />
      <Facts
        rows={[
          ['Namespace', node.namespace === undefined ? undefined : <UntrustedText text={node.namespace} lines={2} />],
          ['Cluster', node.cluster],
          ['App', node.app === undefined ? undefined : <UntrustedText text={node.app} lines={2} />],
          ['Version', node.version === undefined ? undefined : <UntrustedText text={node.version} lines={2} />],
          ['Workload', node.workload === undefined ? undefined : <UntrustedText text={node.workload} lines={2} />],
          ['Service', node.service === undefined ? undefined : <UntrustedText text={node.service} lines={2} />],
          ['Outside selection', node.isOutside ? 'Yes: its namespace is not selected' : undefined],
          ['Traffic source', node.isRoot ? 'Yes: it only sends traffic' : undefined],
          ['Idle', node.isIdle ? 'Yes: no traffic in the window' : undefined],
          ['Dead', node.isDead ? 'Yes: the workload has no pods' : undefined],
        ]}
      />
      {node.isEgressCluster && <p className="help-text">{EGRESS_CLUSTER_HELP[node.isEgressCluster]}</p>}
      {applied.entity && (
        <RoutingObjectsSection
          objects={appliedObjects(applied.objects, 'it')}
          namespaces={namespaces}
          title="Istio configuration that applies"
          empty={applied.loading ? null : 'No Istio object applies: it gets the mesh defaults.'}
          loading={applied.loading}
          testId="node-applied-objects"
        />
      )}
      <FindingsSection findings={own} namespaces={namespaces} title="Configuration findings" testId="node-findings" />
      {!node.isBox && (
        <Section title="Health">
          <Facts
            rows={[
              ['Status', <HealthText health={node.health} />],
              ['Inbound error ratio', node.healthErrorRatio !== undefined ? formatRatio(node.healthErrorRatio) : undefined],
            ]}
          />
        </Section>
      )}
      {rates.length > 0 && (
        <Section title="Traffic">
          <Facts rows={rates.map(([key, value]) => [rateName(key), formatNodeRate(key, value)])} />
        </Section>
      )}
      {!node.isBox && <NodeCharts key={node.id} node={node} />}
      {badges.length > 0 && (
        <Section title="Configuration">
          <TextList items={badges.map((b) => (b.describe ? b.describe(node) : b.title))} />
        </Section>
      )}
      {node.hasVS && (
        <Section title="Virtual services">
          <Facts
            rows={[
              ['Hostnames', node.hasVS.hostnames.join(', ')],
              [
                'Objects',
                node.hasVS.objects.map((o, i) => (
                  <span key={`${o.namespace}/${o.name}`}>
                    {i > 0 ? ', ' : ''}
                    <Link {...objectLink({ kind: 'VirtualService', namespace: o.namespace, name: o.name }, namespaces)}>{`${o.namespace}/${o.name}`}</Link>
                  </span>
                )),
              ],
            ]}
          />
        </Section>
      )}
      {node.isServiceEntry && (
        <Section title="Service entry">
          <Facts
            rows={[
              ['Object', <Link {...objectLink({ kind: 'ServiceEntry', namespace: node.isServiceEntry.namespace, name: node.isServiceEntry.name }, namespaces)}>{`${node.isServiceEntry.namespace}/${node.isServiceEntry.name}`}</Link>],
              ['Hosts', <UntrustedText text={node.isServiceEntry.hosts.join(', ')} lines={3} />],
              ['Location', node.isServiceEntry.location],
              ['Resolution', node.isServiceEntry.resolution],
              ['Ports', node.isServiceEntry.ports?.map((p) => `${p.number}${p.protocol ? `/${p.protocol}` : ''}${p.name ? ` (${p.name})` : ''}`).join(', ')],
            ]}
          />
        </Section>
      )}
      {node.isGateway && (
        <Section title="Gateway">
          <Facts
            rows={[
              ['Ingress hostnames', node.isGateway.ingressInfo?.hostnames.join(', ')],
              ['Egress hostnames', node.isGateway.egressInfo?.hostnames.join(', ')],
            ]}
          />
        </Section>
      )}
      {node.isExternalIP && (
        <Section title="External address">
          <Facts rows={[['IP', node.isExternalIP.ip], ['Port', node.isExternalIP.port]]} />
        </Section>
      )}
      {node.isEgressRouter && (
        <Section title="Egress router forwards">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Port</th>
                <th scope="col">Protocol</th>
                <th scope="col">Forwards to</th>
              </tr>
            </thead>
            <tbody>
              {node.isEgressRouter.forwards.map((f) => (
                <tr key={`${f.port}/${f.protocol}`}>
                  <td>{f.port}</td>
                  <td>{f.protocol}</td>
                  <td>{`${f.targetIP}:${f.targetPort}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {node.hasWorkloadEntry && node.hasWorkloadEntry.length > 0 && (
        <Section title="Workload entries">
          <TextList items={node.hasWorkloadEntry.map((w) => w.name)} />
        </Section>
      )}
      {node.pods && node.pods.length > 0 && (
        <Section title={`Pods (${node.pods.length})`}>
          {node.pods.map((pod) => (
            <div key={pod.name} className="pod-card">
              <div className="pod-name">{pod.name}</div>
              <Facts
                rows={[
                  ['Pod IP', pod.ip],
                  ['Host IP', pod.hostIP],
                  ['Node', pod.nodeName],
                  ['Sidecar', pod.hasSidecar ? 'Yes' : 'No (not in the mesh)'],
                  ['Host aliases', pod.hostAliases?.map((a) => `${a.ip} → ${a.hostnames.join(', ')}`).join('; ')],
                ]}
              />
            </div>
          ))}
        </Section>
      )}
      {node.destServices && node.destServices.length > 0 && (
        <Section title="Services requested">
          <TextList items={node.destServices.map((s) => `${s.namespace}/${s.name}`)} />
        </Section>
      )}
      {node.labels && Object.keys(node.labels).length > 0 && (
        <Section title="Labels">
          <TextList items={Object.entries(node.labels).map(([k, v]) => `${k}=${v}`)} />
        </Section>
      )}
      {node.isBox ? <BoxMembers box={node} graph={graph} onSelect={onSelect} /> : <NeighbourEdges node={node} graph={graph} onSelect={onSelect} />}
    </>
  );
}
