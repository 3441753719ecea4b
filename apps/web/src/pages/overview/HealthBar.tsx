/**
 * How many applications, workloads or services of a namespace are in each status: a stacked bar for the eye and
 * the counts with a glyph and a word for everyone (the bar alone never carries the information).
 */
import type { HealthCounts } from '@meshlens/model';
import { STATUS_GLYPH } from '../lists/entityParts';

const PARTS: Array<{ key: keyof HealthCounts; status: 'Failure' | 'Degraded' | 'NotReady' | 'Healthy' | 'NA'; word: string }> = [
  { key: 'failure', status: 'Failure', word: 'failing' },
  { key: 'degraded', status: 'Degraded', word: 'degraded' },
  { key: 'notReady', status: 'NotReady', word: 'not ready' },
  { key: 'healthy', status: 'Healthy', word: 'healthy' },
  { key: 'noTraffic', status: 'NA', word: 'no traffic' },
];

export function healthCountsText(c: HealthCounts): string {
  const parts = PARTS.filter((p) => c[p.key] > 0).map((p) => `${c[p.key]} ${p.word}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function healthTotal(c: HealthCounts): number {
  return c.failure + c.degraded + c.notReady + c.healthy + c.noTraffic;
}

export function HealthBar({ label, counts, compact = false }: { label: string; counts: HealthCounts; compact?: boolean }) {
  const total = healthTotal(counts);
  const text = healthCountsText(counts);
  return (
    <div className={`health-bar-row${compact ? ' compact' : ''}`} title={`${label}: ${text}`}>
      {!compact && <span className="health-bar-label">{`${label} ${total}`}</span>}
      <span className="health-bar" aria-hidden="true">
        {total > 0 &&
          PARTS.filter((p) => counts[p.key] > 0).map((p) => (
            <span key={p.key} className={`health-bar-part part-${p.status}`} style={{ flexGrow: counts[p.key] }} />
          ))}
      </span>
      <span className="health-bar-counts">
        <span className="visually-hidden">{`${label}: ${text}`}</span>
        <span aria-hidden="true">
          {total === 0
            ? 'none'
            : PARTS.filter((p) => counts[p.key] > 0).map((p) => (
                <span key={p.key} className={`health-count status-${p.status}`}>
                  {`${STATUS_GLYPH[p.status]}${counts[p.key]}`}
                </span>
              ))}
        </span>
      </span>
    </div>
  );
}
