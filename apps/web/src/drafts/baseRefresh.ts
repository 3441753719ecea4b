/**
 * Keeping the what-if workers' live objects live. The web app learns of inventory changes by polling (the findings
 * every 30 s, the health — with a live source's `lastEventTime` — every minute); the drafts' base follows with a
 * conditional GET /api/drafts/base (If-None-Match: its version), which costs a 304 while nothing changed, on a timer
 * while there are drafts and whenever the source reports a newer event. A new version is loaded into the workers and
 * every what-if view re-runs against it.
 */
import type { DraftBase } from './protocol';

export interface BaseFetch {
  /** GETs the base; with `version`, conditionally (null: 304, not modified). */
  (version?: string): Promise<DraftBase | null>;
}

export interface BaseRefresher {
  /** The version loaded, if any. */
  version(): string | undefined;
  /** Loads the base (first time) or asks whether it changed; resolves true when a new base was loaded. */
  refresh(): Promise<boolean>;
}

/**
 * `fetchBase` reads the server; `apply` loads a base into the workers. Refreshes running at once share one request.
 * A base without a version (an older server, a snapshot bundle) is loaded once and never refreshed by version.
 */
export function baseRefresher(fetchBase: BaseFetch, apply: (base: DraftBase) => Promise<void>): BaseRefresher {
  let version: string | undefined;
  let loaded = false;
  let inflight: Promise<boolean> | null = null;
  const run = async (): Promise<boolean> => {
    const next = await fetchBase(loaded ? version : undefined);
    if (next === null) return false;
    if (loaded && next.version !== undefined && next.version === version) return false;
    await apply(next);
    const first = !loaded;
    loaded = true;
    version = next.version;
    return !first;
  };
  return {
    version: () => version,
    refresh() {
      if (loaded && version === undefined) return Promise.resolve(false);
      inflight ??= run().finally(() => { inflight = null; });
      return inflight;
    },
  };
}

/** Every this many ms while drafts exist and the page is visible (a 304 costs next to nothing). */
export const BASE_REFRESH_MS = 15_000;
