/** The text drawn on an edge for each edge-label mode. */
import type { EdgeData } from '@meshlens/model';
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../format/units';
import type { EdgeLabelMode } from '../url/viewState';
import { edgePercentErr, edgePercentReq, edgeTotal } from './edgeTraffic';

/** The label of one edge in one mode; empty when the mode says nothing about this edge. */
export function edgeLabel(edge: EdgeData, mode: EdgeLabelMode): string {
  const tcp = edge.traffic.protocol === 'tcp';
  switch (mode) {
    case 'none':
      return '';
    case 'requestRate': {
      const total = edgeTotal(edge);
      if (tcp) return formatBytesPerSecond(total);
      const err = edgePercentErr(edge);
      // As in Kiali: the error share goes under the rate, only when there is one.
      return err > 0 ? `${formatRps(total)}\n${formatPercent(err)} err` : formatRps(total);
    }
    case 'errorRate': {
      if (tcp) return '';
      const err = edgePercentErr(edge);
      return err > 0 ? `${formatPercent(err)} err` : '';
    }
    case 'responseTime': {
      const p95 = edge.responseTime ?? edge.responseTimes?.p95;
      return tcp || p95 === undefined ? '' : formatMs(p95);
    }
    case 'trafficShare': {
      const share = edgePercentReq(edge);
      // 100% says nothing: Kiali only labels edges that carry part of the source's traffic.
      return share === undefined || share >= 99.95 ? '' : formatPercent(share);
    }
  }
}

/** The cytoscape data field holding each mode's precomputed label, so switching modes is a style change only. */
export const EDGE_LABEL_FIELD: Record<EdgeLabelMode, string> = {
  none: '',
  requestRate: 'labelRate',
  errorRate: 'labelErr',
  responseTime: 'labelRt',
  trafficShare: 'labelShare',
};

/** All modes' labels of one edge, keyed by their data field. */
export function edgeLabelFields(edge: EdgeData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const mode of Object.keys(EDGE_LABEL_FIELD) as EdgeLabelMode[]) {
    if (mode !== 'none') fields[EDGE_LABEL_FIELD[mode]] = edgeLabel(edge, mode);
  }
  return fields;
}
