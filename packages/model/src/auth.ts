/** How the console authenticates its users, and who the current user is (`GET /api/auth/info`). */

/**
 * `anonymous`: everyone reads with the server's own identity. `token`: each user logs in with a Kubernetes bearer
 * token and reads the cluster with it. `header`: an authenticating proxy names the user; the server impersonates them.
 */
export type AuthMode = 'anonymous' | 'token' | 'header';

export const AUTH_MODES: readonly AuthMode[] = ['anonymous', 'token', 'header'];

export interface AuthInfo {
  mode: AuthMode;
  /** True when the request may read the API (always in `anonymous`). */
  authenticated: boolean;
  /** The Kubernetes user name the console reads as (from the TokenReview or the proxy's header). */
  user?: string;
  groups?: string[];
  /** Unix milliseconds when the session ends (token mode). */
  expiresAt?: number;
  /** The cluster (kubeconfig context) the login is for. */
  cluster?: string;
}

export interface LoginRequest {
  token: string;
}
