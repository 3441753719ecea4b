/**
 * What to tell the user when a live cluster's API server cannot be reached: since when, what the pages show meanwhile,
 * and what to check. Pure, so the wording is tested without a browser.
 */
import type { HealthResponse } from '@meshlens/model';

export interface ConnectionNotice {
  source: string;
  title: string;
  detail: string;
  /** The API server's or the network's own words (untrusted text: shown as text only). */
  lastError?: string;
}

/** "12 s", "3 min", "2 h 5 min". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function clock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

export function connectionNotices(health: HealthResponse | undefined, now = Date.now()): ConnectionNotice[] {
  const out: ConnectionNotice[] = [];
  for (const s of health?.sources ?? []) {
    if (s.kind !== 'kubernetes' || !s.disconnectedSince) continue;
    const since = Date.parse(s.disconnectedSince);
    const cluster = s.cluster ?? s.name;
    const kinds = s.disconnectedKinds ?? 0;
    const error = s.errors.find((e) => /; reconnecting$/.test(e.message));
    out.push({
      source: s.name,
      title: `Cut off from the API server of cluster ${cluster} for ${formatElapsed(now - since)}.`,
      detail:
        `${kinds === 1 ? 'One kind of object shows' : `${kinds} lists of objects show`} the cluster as it was at ${clock(s.disconnectedSince)}; telemetry is still read live. ` +
        'Meshlens reconnects by itself, retrying with a backoff of up to 30 s, and lists everything again if the API server lost the history meanwhile. ' +
        `If this lasts, check that the API server answers (\`kubectl --context ${cluster} get --raw /readyz\`), your network or VPN, and that your credentials are still valid.`,
      ...(error ? { lastError: error.message.replace(/; reconnecting$/, '') } : {}),
    });
  }
  return out;
}
