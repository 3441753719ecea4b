/** The auth mode and its settings, and the `meshlens serve --auth…` options that choose them. */
import { Option, type Command } from 'commander';
import type { KubeConfig } from '@kubernetes/client-node';
import { AUTH_MODES, type AuthMode } from '@meshlens/model';
import type { ClusterSet, ReflectorTiming } from '@meshlens/sources';

export interface AuthConfig {
  mode: AuthMode;
  /** Header mode: the request header naming the user (default `X-Forwarded-User`). */
  headerUser?: string;
  /** Header mode: the request header listing the groups, comma-separated (default `X-Forwarded-Groups`). */
  headerGroups?: string;
  /** Token mode: absolute session lifetime (default 8 h). */
  sessionTtlMs?: number;
  /** Token mode: keys of 32 bytes that seal session cookies, the first sealing, all opening (default: one random key). */
  sessionKeys?: Buffer[];
  /** Close a user's source after this long without requests and without a session (default 15 min). */
  idleMs?: number;
}

/** What token and header modes need of the live cluster. */
export interface AuthCluster {
  clusters: ClusterSet;
  /** Meshlens's own KubeConfig for a context: it sends TokenReviews and impersonates. */
  kubeConfigFor(context: string): KubeConfig;
  istioNamespace?: string;
  timing?: Partial<ReflectorTiming>;
}

export const DEFAULT_HEADER_USER = 'X-Forwarded-User';
export const DEFAULT_HEADER_GROUPS = 'X-Forwarded-Groups';

export interface AuthCliOptions {
  auth?: AuthMode;
  authHeaderUser: string;
  authHeaderGroups: string;
  authSessionTtl: number;
  sessionKeyFile?: string;
}

/** Adds `--auth`, `--auth-header-user`, `--auth-header-groups`, `--auth-session-ttl`, `--session-key-file` to `serve`. */
export function addAuthOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--auth <mode>', 'who may read what: anonymous (everyone reads as Meshlens), token (users log in with a Kubernetes token and read with it), header (an authenticating proxy names the user; Meshlens impersonates them). Default: token with --in-cluster, else anonymous').choices([...AUTH_MODES]).env('MESHLENS_AUTH'))
    .addOption(new Option('--auth-header-user <name>', 'header mode: request header with the user name').env('MESHLENS_AUTH_HEADER_USER').default(DEFAULT_HEADER_USER))
    .addOption(new Option('--auth-header-groups <name>', 'header mode: request header with the groups, comma-separated').env('MESHLENS_AUTH_HEADER_GROUPS').default(DEFAULT_HEADER_GROUPS))
    .addOption(new Option('--auth-session-ttl <minutes>', 'token mode: minutes a login lasts').env('MESHLENS_AUTH_SESSION_TTL').default(480).argParser((v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 7 * 24 * 60) throw new Error('--auth-session-ttl must be an integer from 1 to 10080 (minutes)');
      return n;
    }))
    .addOption(new Option('--session-key-file <path>', 'token mode: file of session keys, one a line (base64 of 32 bytes; `meshlens session-key` prints one), e.g. a mounted Secret. The first line seals session cookies, every line opens them (rotation). Replicas sharing the file share sessions. Default: a random key, so sessions end on restart and work on this process only').env('MESHLENS_SESSION_KEYS_FILE'));
}

/** The mode asked for, or the default: `token` in a pod (the Service is reachable by others), `anonymous` locally. */
export function authConfigFrom(opts: AuthCliOptions & { inCluster?: boolean }): AuthConfig {
  return {
    mode: opts.auth ?? (opts.inCluster ? 'token' : 'anonymous'),
    headerUser: opts.authHeaderUser,
    headerGroups: opts.authHeaderGroups,
    sessionTtlMs: opts.authSessionTtl * 60_000,
  };
}
