/**
 * Sorting and filtering of the entity lists, pure. "Worst first" is Kiali's status order (Failure, Degraded, Not
 * ready, Healthy, no traffic), then the larger error share, then more configuration errors and warnings, then the
 * busier entity, then namespace and name, so that equal rows keep one stable order.
 */
import type { EntityRowBase, EntityStatus, FindingCounts } from '@meshlens/model';
import { matchesSelector, type LabelRequirement } from './labelSelector';

export const STATUS_ORDER: readonly EntityStatus[] = ['Failure', 'Degraded', 'NotReady', 'Healthy', 'NA'];

/** 0 for the worst status. */
export function statusRank(status: EntityStatus): number {
  const i = STATUS_ORDER.indexOf(status);
  return i < 0 ? STATUS_ORDER.length : i;
}

export const LIST_SORTS = ['health', 'name', 'namespace', 'rate', 'errors', 'findings'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The direction a column sorts in when first clicked: worst, busiest and most findings on top; names A→Z. */
export const NATURAL_ORDER: Record<ListSort, SortOrder> = { health: 'asc', name: 'asc', namespace: 'asc', rate: 'desc', errors: 'desc', findings: 'desc' };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Findings weighed so that one error outranks any number of warnings, and a warning any number of infos. */
export function findingWeight(f: FindingCounts): number {
  return f.error * 1e8 + f.warning * 1e4 + Math.min(f.info, 9999);
}

function errorPercent(row: EntityRowBase): number {
  return row.traffic.errorPercent ?? -1;
}

function compareIdentity(a: EntityRowBase, b: EntityRowBase): number {
  return byText(a.namespace, b.namespace) || byText(a.name, b.name);
}

/** The part of worst first that is about health (status, error %, findings, rate), without the name tie-break. */
function compareHealth(a: EntityRowBase, b: EntityRowBase): number {
  return (
    statusRank(a.health.status) - statusRank(b.health.status) ||
    errorPercent(b) - errorPercent(a) ||
    findingWeight(b.findings) - findingWeight(a.findings) ||
    b.traffic.requestRate - a.traffic.requestRate
  );
}

/** Worst first: status, error %, findings, request rate, then namespace and name. */
export function compareWorstFirst(a: EntityRowBase, b: EntityRowBase): number {
  return compareHealth(a, b) || compareIdentity(a, b);
}

/** A column's own comparison in its ascending sense (for `health`, ascending is worst first); ties are left to the caller. */
function primary(sort: ListSort): (a: EntityRowBase, b: EntityRowBase) => number {
  switch (sort) {
    case 'health':
      return compareHealth;
    case 'name':
      return (a, b) => byText(a.name, b.name);
    case 'namespace':
      return (a, b) => byText(a.namespace, b.namespace);
    case 'rate':
      return (a, b) => a.traffic.requestRate - b.traffic.requestRate;
    case 'errors':
      return (a, b) => errorPercent(a) - errorPercent(b) || a.traffic.requestRate - b.traffic.requestRate;
    case 'findings':
      return (a, b) => findingWeight(a.findings) - findingWeight(b.findings);
  }
}

/** A sorted copy; ties always fall back to namespace then name, A→Z, whatever the direction. */
export function sortRows<R extends EntityRowBase>(rows: readonly R[], sort: ListSort, order: SortOrder = NATURAL_ORDER[sort]): R[] {
  const cmp = primary(sort);
  const tie = sort === 'name' ? (a: EntityRowBase, b: EntityRowBase) => byText(a.namespace, b.namespace) : compareIdentity;
  return [...rows].sort((a, b) => (order === 'asc' ? cmp(a, b) : cmp(b, a)) || tie(a, b));
}

export interface RowFilter {
  /** Case-insensitive substring of the name; every space-separated word must appear. */
  name: string;
  /** Parsed label selector (empty: every row). */
  selector: readonly LabelRequirement[];
  /** Statuses to keep; empty: any. */
  health: readonly EntityStatus[];
  missingSidecar: boolean;
  /** `any`: at least one finding; `error`: at least one error; `warning`: errors or warnings. */
  findings: 'any' | 'warning' | 'error' | null;
}

export function filterRows<R extends EntityRowBase>(rows: readonly R[], f: RowFilter): R[] {
  const words = f.name.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (words.length > 0) {
      const name = row.name.toLowerCase();
      if (!words.every((w) => name.includes(w))) return false;
    }
    if (f.health.length > 0 && !f.health.includes(row.health.status)) return false;
    if (f.missingSidecar && !row.missingSidecar) return false;
    if (f.findings === 'error' && row.findings.error === 0) return false;
    if (f.findings === 'warning' && row.findings.error + row.findings.warning === 0) return false;
    if (f.findings === 'any' && row.findings.error + row.findings.warning + row.findings.info === 0) return false;
    return f.selector.length === 0 || matchesSelector(row.labels, f.selector);
  });
}
