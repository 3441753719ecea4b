/**
 * GETs started before the app's code has been evaluated (boot.ts), handed to the first getJson of the same URL.
 *
 * The console's code takes a few hundred milliseconds to load and evaluate; a page's data (the Overview of 1,000
 * namespaces: 0.1-0.5 s of server work) used to be asked for only after it. Started by the boot module, the
 * request runs while the code loads. Each response is used once, and only while fresh: a later request of the same
 * URL (a refresh) goes to the network.
 */
const FRESH_MS = 15_000;

interface Early {
  response: Promise<Response>;
  at: number;
}

/**
 * Shared through the window: boot.ts is bundled on its own (a classic script that runs first), so it and the app
 * each have their own copy of this module, and only the global is common to both.
 */
const started: Map<string, Early> = ((globalThis as { __meshlensEarly?: Map<string, Early> }).__meshlensEarly ??= new Map());

/** The headers every API GET sends (api/client.ts), so that an early request is the same request. */
export const API_GET_INIT: RequestInit = { headers: { accept: 'application/json' } };

/** Starts GET `url` now (an absolute path with its scope already applied). */
export function startEarly(url: string): void {
  if (started.has(url)) return;
  const response = fetch(url, API_GET_INIT);
  // a failure is the app's to report when it takes the response; never an unhandled rejection here
  response.catch(() => undefined);
  started.set(url, { response, at: Date.now() });
}

/** The early response for `url`, once, if it was started and is still fresh. */
export function takeEarly(url: string, now = Date.now()): Promise<Response> | undefined {
  const e = started.get(url);
  if (!e) return undefined;
  started.delete(url);
  return now - e.at <= FRESH_MS ? e.response : undefined;
}
