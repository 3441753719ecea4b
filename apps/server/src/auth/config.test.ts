/** `meshlens serve --auth…`: the default per environment, and modes that cannot work refused with a reason. */
import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { authConfigFrom } from './config.js';

const base = { authHeaderUser: 'X-Forwarded-User', authHeaderGroups: 'X-Forwarded-Groups', authSessionTtl: 480 };

describe('auth options', () => {
  it('defaults to token in a pod and anonymous elsewhere; --auth wins', () => {
    expect(authConfigFrom({ ...base, inCluster: true })).toEqual({ mode: 'token', headerUser: 'X-Forwarded-User', headerGroups: 'X-Forwarded-Groups', sessionTtlMs: 8 * 3600_000 });
    expect(authConfigFrom({ ...base }).mode).toBe('anonymous');
    expect(authConfigFrom({ ...base, inCluster: true, auth: 'anonymous' }).mode).toBe('anonymous');
    expect(authConfigFrom({ ...base, auth: 'header' }).mode).toBe('header');
  });

  it('refuses token auth without a cluster, and unknown modes, saying what to do', async () => {
    let err = '';
    const io = { out: () => {}, err: (s: string) => { err += s; } };
    expect(await main(['node', 'meshlens', 'serve', '--demo', '--auth', 'token', '--port', '0'], io)).toBe(2);
    expect(err.split('\n').at(-2)).toBe('meshlens: --auth token reads the cluster with each user\'s identity, so it needs a live cluster (--in-cluster, --kubeconfig or --context); the demo and -f files are served with --auth anonymous');
    err = '';
    expect(await main(['node', 'meshlens', 'serve', '--auth', 'oidc'], io)).toBe(2);
    expect(err).toContain("option '--auth <mode>' argument 'oidc' is invalid. Allowed choices are anonymous, token, header.");
  });
});
