/**
 * The logs tab's data: the lines of the application container and of `istio-proxy`, read once (React Query) or
 * followed (NDJSON streams that stop when following is turned off or the tab is left: the effect aborts them).
 */
import type { PodLogStreamEnd } from '@meshlens/model';
import { useEffect, useRef, useState } from 'react';
import { ApiRequestError } from '../../api/client';
import { followPodLogs, usePodLogs, type LogsRequest } from '../../api/entities';
import { tagLines, type ShownLine } from './logLines';

/** A followed container keeps at most this many lines (the oldest go first). */
export const FOLLOW_LIMIT = 5000;

export interface ContainerLogs {
  container: string;
  lines: ShownLine[];
  loading: boolean;
  error: Error | null;
  /** Following: why the stream ended, when it did. */
  ended?: PodLogStreamEnd;
}

interface Followed {
  lines: Record<string, ShownLine[]>;
  ended: Record<string, PodLogStreamEnd>;
  errors: Record<string, Error>;
  started: Record<string, boolean>;
}

const EMPTY: Followed = { lines: {}, ended: {}, errors: {}, started: {} };

function useFollowed(requests: LogsRequest[], enabled: boolean): Followed {
  const [state, setState] = useState<Followed>(EMPTY);
  const seq = useRef<Record<string, number>>({});
  const key = JSON.stringify(requests);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    seq.current = {};
    setState(EMPTY);
    for (const r of requests) {
      const container = r.container;
      followPodLogs(
        r,
        (lines) => {
          const start = seq.current[container] ?? 0;
          seq.current[container] = start + lines.length;
          const tagged = tagLines(lines, container).map((l, i) => ({ ...l, seq: start + i }));
          setState((s) => {
            const all = [...(s.lines[container] ?? []), ...tagged];
            return { ...s, started: { ...s.started, [container]: true }, lines: { ...s.lines, [container]: all.length > FOLLOW_LIMIT ? all.slice(all.length - FOLLOW_LIMIT) : all } };
          });
        },
        controller.signal,
      )
        .then((end) => {
          if (controller.signal.aborted) return;
          // A stream that ended on an error (403, 404…) is reported like the same error on a plain request.
          if (end.statusCode) setState((s) => ({ ...s, started: { ...s.started, [container]: true }, errors: { ...s.errors, [container]: new ApiRequestError(end.statusCode!, end.reason) } }));
          else setState((s) => ({ ...s, started: { ...s.started, [container]: true }, ended: { ...s.ended, [container]: end } }));
        })
        .catch((error: Error) => {
          if (!controller.signal.aborted) setState((s) => ({ ...s, started: { ...s.started, [container]: true }, errors: { ...s.errors, [container]: error } }));
        });
    }
    return () => controller.abort();
  }, [key, enabled]); // eslint-disable-line react-hooks/exhaustive-deps
  return enabled ? state : EMPTY;
}

/** Logs of the application container and, when asked, the proxy; `follow` streams them instead. */
export function useContainerLogs(app: LogsRequest | null, proxy: LogsRequest | null, follow: boolean, enabled: boolean) {
  const appQuery = usePodLogs(enabled && !follow ? app : null);
  const proxyQuery = usePodLogs(enabled && !follow ? proxy : null);
  const requests = [app, proxy].filter((r): r is LogsRequest => r !== null);
  const followed = useFollowed(requests, enabled && follow);

  const one = (r: LogsRequest | null, q: typeof appQuery): ContainerLogs | null => {
    if (!r) return null;
    if (follow) {
      return {
        container: r.container,
        lines: followed.lines[r.container] ?? [],
        loading: !followed.started[r.container],
        error: followed.errors[r.container] ?? null,
        ended: followed.ended[r.container],
      };
    }
    return { container: r.container, lines: q.data ? tagLines(q.data.lines, r.container) : [], loading: q.isPending && q.fetchStatus !== 'idle', error: q.error };
  };
  return {
    app: one(app, appQuery),
    proxy: one(proxy, proxyQuery),
    refetch: () => {
      void appQuery.refetch();
      if (proxy) void proxyQuery.refetch();
    },
    fetching: appQuery.isFetching || proxyQuery.isFetching,
  };
}
