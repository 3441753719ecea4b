/** The Overview: one card per namespace (health counts, traffic, mTLS, injection, findings) and the control-plane strip. */
import type { ControlPlaneSummary, EntityStatus, GatewaySummary, IstiodPod, NamespaceOverview, Sparkline } from '@meshlens/model';
import type { Inventory, WorkloadView } from '../inventory/types.js';
import { countStatus, emptyCounts, statusRank } from '../health/status.js';
import { podIsReady } from '../health/pod-status.js';
import { inboundTraffic, type EntityModel } from './model.js';
import { imageTag, podContainers, podDetail } from './pods.js';
import { applicationHealth, gatewayKind, serviceHealth, workloadHealth, workloadRow } from './rows.js';
import { meshMtls, namespaceInjection, namespaceMtls } from './namespace.js';

/** istiod workloads: `app=istiod` (every revision's Deployment is `istiod-<rev>`), or named so. */
export function isIstiod(w: WorkloadView): boolean {
  return w.labels.app === 'istiod' || w.labels.istio === 'pilot' || w.name === 'istiod' || w.name.startsWith('istiod-');
}

/**
 * Namespaces the control-plane strip reads besides the requested ones: where istiod, the gateways and the root
 * namespace live (their telemetry must be in the same window for gateway rates).
 */
export function controlPlaneNamespaces(inv: Inventory): string[] {
  const out = new Set<string>();
  if (inv.namespaces.has(inv.meshConfig.rootNamespace)) out.add(inv.meshConfig.rootNamespace);
  for (const w of inv.workloads) if (isIstiod(w) || gatewayKind(w)) out.add(w.namespace);
  return [...out].sort();
}

/** One card per namespace of `shown` (all of the model's when absent), sorted by name. */
export function namespaceOverviews(m: EntityModel, shown: string[] = m.namespaces, sparklines?: Map<string, Sparkline>): NamespaceOverview[] {
  const cp = new Set(controlPlaneNamespaces(m.inv));
  const cards = new Map<string, NamespaceOverview>();
  const worst = new Map<string, EntityStatus>();
  const note = (ns: string, s: EntityStatus) => {
    const prev = worst.get(ns);
    if (prev === undefined || statusRank(s) > statusRank(prev)) worst.set(ns, s);
  };
  const shownSet = new Set(shown);
  for (const name of [...shownSet].sort()) {
    const ns = m.inv.namespaces.get(name);
    if (!ns) continue;
    const card: NamespaceOverview = {
      name,
      labels: ns.labels,
      injection: namespaceInjection(ns.labels),
      mtls: namespaceMtls(m.inv, name),
      isControlPlane: cp.has(name),
      counts: { applications: 0, workloads: 0, services: 0, istioObjects: 0 },
      health: { applications: emptyCounts(), workloads: emptyCounts(), services: emptyCounts() },
      traffic: inboundTraffic(m.totals.namespace(name)),
      findings: m.findings.byNamespace.get(name) ?? { error: 0, warning: 0, info: 0 },
      worstStatus: 'NA',
    };
    const spark = sparklines?.get(name);
    if (spark) card.sparkline = spark;
    cards.set(name, card);
  }
  for (const w of m.workloads) {
    const card = cards.get(w.namespace);
    if (!card) continue;
    const s = workloadHealth(m, w).status;
    card.counts.workloads++;
    countStatus(card.health.workloads, s);
    note(w.namespace, s);
  }
  for (const s of m.services) {
    const card = cards.get(s.namespace);
    if (!card) continue;
    const st = serviceHealth(m, s).status;
    card.counts.services++;
    countStatus(card.health.services, st);
    note(s.namespace, st);
  }
  for (const key of m.applications.keys()) {
    const ns = key.slice(0, key.indexOf('/'));
    const card = cards.get(ns);
    if (!card) continue;
    const st = applicationHealth(m, key)!.status;
    card.counts.applications++;
    countStatus(card.health.applications, st);
    note(ns, st);
  }
  for (const list of Object.values(m.inv.istio)) {
    for (const o of list) {
      const card = o.ref.namespace ? cards.get(o.ref.namespace) : undefined;
      if (card) card.counts.istioObjects++;
    }
  }
  for (const [ns, card] of cards) card.worstStatus = worst.get(ns) ?? 'NA';
  return [...cards.values()];
}

/** The control-plane strip: istiod pods of every revision and the ingress/egress gateways, over the whole inventory. */
export function controlPlaneSummary(m: EntityModel): ControlPlaneSummary {
  const { inv } = m;
  const istiod: IstiodPod[] = [];
  const gateways: GatewaySummary[] = [];
  for (const w of inv.workloads) {
    if (isIstiod(w)) {
      for (const p of w.pods) {
        const status = m.status(p, m.queryTime);
        const d = podDetail(inv, p, status);
        const discovery = podContainers(inv, p).find((c) => c.name === 'discovery') ?? podContainers(inv, p)[0];
        const version = imageTag(discovery?.image) ?? p.labels['operator.istio.io/version'] ?? w.labels['operator.istio.io/version'];
        istiod.push({
          name: p.name, namespace: p.namespace, phase: d.phase, ready: d.ready, isReady: d.isReady,
          ...(version ? { version } : {}), revision: p.labels['istio.io/rev'] ?? w.labels['istio.io/rev'] ?? 'default', restarts: d.restarts,
        });
      }
      continue;
    }
    const kind = gatewayKind(w);
    if (!kind) continue;
    const row = m.requested.has(w.namespace) ? workloadRow(m, w) : undefined;
    const ready = w.pods.filter((p) => podIsReady(m.status(p, m.queryTime), podContainers(inv, p).map((c) => c.name))).length;
    const proxy = w.containers.find((c) => c.name === 'istio-proxy');
    const version = imageTag(proxy?.image);
    const out = m.totals.outboundWorkload(w.namespace, w.name);
    gateways.push({
      namespace: w.namespace,
      name: w.name,
      kind,
      health: row?.health ?? { status: 'NA', reason: `namespace ${w.namespace} was not part of the request` },
      ready: `${ready}/${w.pods.length}`,
      ...(w.labels['istio.io/rev'] ? { revision: w.labels['istio.io/rev'] } : {}),
      ...(version ? { version } : {}),
      requestRate: out ? Math.round((out.http + out.grpc) * 1000) / 1000 : 0,
    });
  }
  istiod.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  gateways.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { istiod, gateways, rootNamespace: inv.meshConfig.rootNamespace, meshMtls: meshMtls(inv), outboundTrafficPolicy: inv.meshConfig.outboundTrafficPolicy };
}
