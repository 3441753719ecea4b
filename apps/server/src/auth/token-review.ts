/**
 * Checks a user's bearer token with a TokenReview (authentication.k8s.io/v1), sent with the server's own
 * credentials. `create` on tokenreviews asks the API server a question; it stores nothing in the cluster.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type TokenReviewResult =
  | { authenticated: true; user: string; groups: string[] }
  /** `reason` is a sentence for the login page; `status` the HTTP status to answer with. */
  | { authenticated: false; reason: string; status: 401 | 502 };

interface TokenReviewStatus {
  status?: { authenticated?: boolean; user?: { username?: string; groups?: string[] }; error?: string };
  message?: string;
}

/** Reviews `token` against the current cluster of `kc` (the server's identity). */
export async function reviewToken(kc: KubeConfig, token: string, timeoutMs = 10_000): Promise<TokenReviewResult> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { authenticated: false, status: 502, reason: 'Meshlens has no cluster to check the token against (its kubeconfig has no current cluster).' };
  const url = new URL(`${cluster.server.replace(/\/+$/, '')}/apis/authentication.k8s.io/v1/tokenreviews`);
  const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
  const opts: https.RequestOptions = { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'meshlens', 'Content-Length': Buffer.byteLength(body) } };
  await kc.applyToHTTPSOptions(opts);
  let statusCode: number;
  let text: string;
  try {
    ({ statusCode, text } = await new Promise<{ statusCode: number; text: string }>((resolve, reject) => {
      const req = (url.protocol === 'http:' ? http : https).request(url, { ...opts, timeout: timeoutMs }, (res) => {
        res.setEncoding('utf8');
        let t = '';
        res.on('data', (c: string) => (t += c));
        res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, text: t }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    }));
  } catch (e) {
    return { authenticated: false, status: 502, reason: `Meshlens cannot reach the API server ${url.origin} to check the token (${(e as Error).message}). Try again, or ask the administrator to check Meshlens's connection to the cluster.` };
  }
  let parsed: TokenReviewStatus = {};
  try {
    parsed = JSON.parse(text) as TokenReviewStatus;
  } catch {
    // Not JSON: the status code alone explains it below.
  }
  if (statusCode === 403) {
    return { authenticated: false, status: 502, reason: `Meshlens's own identity may not create TokenReviews, so it cannot check tokens (${parsed.message ?? 'forbidden'}). The administrator must grant it create on tokenreviews.authentication.k8s.io (the Helm chart and deploy/kubernetes do), or run Meshlens with --auth anonymous.` };
  }
  if (statusCode !== 200 && statusCode !== 201) {
    return { authenticated: false, status: 502, reason: `The API server could not check the token (HTTP ${statusCode}${parsed.message ? `: ${parsed.message}` : ''}). Try again later.` };
  }
  const s = parsed.status;
  if (!s?.authenticated || !s.user?.username) {
    return { authenticated: false, status: 401, reason: `The cluster did not accept this token${s?.error ? ` (${s.error})` : ''}. Paste a valid Kubernetes bearer token, for example the output of \`kubectl create token <service-account> -n <namespace>\`.` };
  }
  return { authenticated: true, user: s.user.username, groups: s.user.groups ?? [] };
}
