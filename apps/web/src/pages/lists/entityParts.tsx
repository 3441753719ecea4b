/**
 * Building blocks of the entity pages: health as a glyph and a word (never colour alone), label chips, Istio
 * configuration badges spelled out in their tooltips, and rate / error cells.
 */
import type { EntityHealth, EntityStatus, InboundTraffic, IstioBadge } from '@meshlens/model';
import { formatBytesPerSecond, formatPercent, formatRps } from '../../format/units';
import { DOM_TEXT_MAX, shortText, visibleText } from '../../components/untrustedText';

export const STATUS_TEXT: Record<EntityStatus, string> = {
  Failure: 'Failing',
  Degraded: 'Degraded',
  NotReady: 'Not ready',
  Healthy: 'Healthy',
  NA: 'No traffic',
};

export const STATUS_GLYPH: Record<EntityStatus, string> = { Failure: '✖', Degraded: '▲', NotReady: '◔', Healthy: '✔', NA: '○' };

/** Kiali's default tolerances (reference kiali.md §4.5), for the tooltips and the legend. */
export const HEALTH_RULES =
  'Failing: 5xx, gRPC errors or no response on ≥ 10 % of requests, 4xx on ≥ 20 %, or no replica available. ' +
  'Degraded: any 5xx or no response, 4xx on ≥ 10 %, or only some replicas available. ' +
  'Not ready: no replica wanted or none started yet. No traffic: no requests in the window.';

export function HealthIcon({ status, reason, compact = false, testId }: { status: EntityStatus; reason?: string; compact?: boolean; testId?: string }) {
  const text = STATUS_TEXT[status];
  return (
    <span className={`entity-health status-${status}`} title={reason ? `${text}: ${reason}` : text} data-status={status} data-testid={testId}>
      <span aria-hidden="true" className="entity-health-glyph">{STATUS_GLYPH[status]}</span>
      {compact ? <span className="visually-hidden">{text}</span> : <span className="entity-health-text">{text}</span>}
    </span>
  );
}

export function EntityHealthText({ health }: { health: EntityHealth }) {
  return <HealthIcon status={health.status} reason={health.reason} />;
}

/** `key=value` chips; past `max`, a "+N" chip whose tooltip lists the rest. Each chip's tooltip is its full text. */
export function LabelChips({ labels, max = 3 }: { labels: Record<string, string>; max?: number }) {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return <span className="muted">none</span>;
  const shown = entries.slice(0, max);
  const rest = entries.slice(max);
  return (
    <span className="label-chips">
      {shown.map(([k, v]) => (
        <bdi key={k} className="label-chip" title={visibleText(`${k}=${v}`)}>
          {shortText(`${k}=${v}`, DOM_TEXT_MAX)}
        </bdi>
      ))}
      {rest.length > 0 && (
        <span className="label-chip label-more" title={visibleText(rest.map(([k, v]) => `${k}=${v}`).join('\n'))}>
          <span aria-hidden="true">{`+${rest.length}`}</span>
          <span className="visually-hidden">{visibleText(`and ${rest.length} more: ${rest.map(([k, v]) => `${k}=${v}`).join(', ')}`)}</span>
        </span>
      )}
    </span>
  );
}

/** What each badge means (contract: IstioBadge in packages/model/src/entities.ts). */
export const BADGE_TEXT: Record<IstioBadge, string> = {
  VS: 'VirtualService routes to it',
  RR: 'Request routing (matches, subsets or several routes)',
  TS: 'Traffic shifting (weighted routes)',
  TCPTS: 'TCP traffic shifting',
  FI: 'Fault injection',
  RT: 'Request timeout',
  MI: 'Mirroring',
  DR: 'DestinationRule',
  CB: 'Circuit breaker (connection pool or outlier detection)',
  GW: 'Gateway',
  SE: 'ServiceEntry',
  SC: 'Sidecar resource',
  PA: 'PeerAuthentication (mTLS)',
  RA: 'RequestAuthentication (JWT)',
  AP: 'AuthorizationPolicy',
  EF: 'EnvoyFilter',
  TM: 'Telemetry',
  WE: 'WorkloadEntry',
};

export function IstioBadges({ badges, missingSidecar = false, ambient = false }: { badges: readonly IstioBadge[]; missingSidecar?: boolean; ambient?: boolean }) {
  if (badges.length === 0 && !missingSidecar && !ambient) return <span className="muted">none</span>;
  return (
    <span className="istio-badges">
      {missingSidecar && (
        <abbr className="istio-badge badge-warning" title="Missing sidecar: some pod runs without an Envoy proxy" data-badge="missing-sidecar">
          <span aria-hidden="true">▲ </span>no sidecar
        </abbr>
      )}
      {ambient && (
        <abbr className="istio-badge" title="Ambient mesh: traffic goes through ztunnel (and waypoints), not a sidecar" data-badge="ambient">
          ambient
        </abbr>
      )}
      {badges.map((b) => (
        <abbr key={b} className="istio-badge" title={BADGE_TEXT[b]} data-badge={b}>
          {b}
        </abbr>
      ))}
    </span>
  );
}

/** "12 rps" (and TCP bytes when there are), or "–" with "no requests" for screen readers. */
export function RateText({ traffic }: { traffic: InboundTraffic }) {
  const parts: string[] = [];
  if (traffic.requestRate > 0) parts.push(formatRps(traffic.requestRate));
  if (traffic.tcpBytesRate) parts.push(formatBytesPerSecond(traffic.tcpBytesRate));
  if (parts.length === 0) return <span className="muted" title="No requests in the window">–<span className="visually-hidden">no requests</span></span>;
  return (
    <span className="rate-text" title={parts.join(', ')}>
      {parts.map((p) => (
        <span key={p} className="nowrap">{p}</span>
      ))}
    </span>
  );
}

/** Error share with a glyph when it is not zero. */
export function ErrorText({ percent }: { percent: number | undefined }) {
  if (percent === undefined) return <span className="muted" title="No requests in the window">–<span className="visually-hidden">no requests</span></span>;
  const level = percent >= 10 ? 'Failure' : percent > 0 ? 'Degraded' : 'Healthy';
  return (
    <span className={`error-share status-${level}`}>
      {percent > 0 && <span aria-hidden="true">{`${STATUS_GLYPH[level]} `}</span>}
      {formatPercent(percent)}
    </span>
  );
}
