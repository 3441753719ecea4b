/** `meshlens serve --auth…`: the default per environment, and modes that cannot work refused with a reason. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterSet } from '@meshlens/sources';
import { generateTestTls, writeKubeconfig } from '@meshlens/sources/testing';
import { main } from '../cli.js';
import { authConfigFrom } from './config.js';
import { authForServe, RANDOM_SESSION_KEY_NOTICE } from './serve-auth.js';
import { parseSessionKeys } from './session-keys.js';

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

  it('`meshlens session-key` prints a new key each time, one line that a key file accepts', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      let out = '';
      expect(await main(['node', 'meshlens', 'session-key'], { out: (s) => { out += s; }, err: () => {} })).toBe(0);
      expect(out).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
      keys.push(out.trim());
    }
    expect(keys[0]).not.toBe(keys[1]);
    expect(parseSessionKeys(keys.join('\n'), 'keys')).toHaveLength(2);
  });

  it('a bad --session-key-file (or MESHLENS_SESSION_KEYS_FILE) stops serve with exit 2, naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-keys-'));
    const bad = join(dir, 'keys');
    writeFileSync(bad, `${Buffer.alloc(32, 1).toString('base64')}\nc2hvcnQ=\n`);
    let err = '';
    const io = { out: () => {}, err: (s: string) => { err += s; } };
    expect(await main(['node', 'meshlens', 'serve', '--demo', '--port', '0', '--session-key-file', bad], io)).toBe(2);
    expect(err).toBe(`meshlens: session key file ${bad}, line 2: not a session key (5 bytes, not 32); each line must be the base64 of 32 random bytes (44 characters), as \`meshlens session-key\` prints\n`);
    err = '';
    process.env.MESHLENS_SESSION_KEYS_FILE = join(dir, 'absent');
    try {
      expect(await main(['node', 'meshlens', 'serve', '--demo', '--port', '0'], io)).toBe(2);
    } finally {
      delete process.env.MESHLENS_SESSION_KEYS_FILE;
    }
    expect(err).toBe(`meshlens: session key file ${join(dir, 'absent')}: cannot read it (no such file). Create it with \`meshlens session-key > ${join(dir, 'absent')}\`, or mount the Secret that holds it\n`);
  });

  it('token mode without a key file says at start that sessions are this process\'s only; with one it uses its keys', () => {
    const tls = generateTestTls();
    const kubeconfig = writeKubeconfig([{ name: 'prod', server: { url: 'https://127.0.0.1:6443', tls } as never, token: 't' }]);
    const clusters = {} as ClusterSet;
    const opts = { ...base, auth: 'token' as const, kubeconfig, istioNamespace: 'istio-system' };
    expect(authForServe(opts, clusters).notice).toBe(RANDOM_SESSION_KEY_NOTICE);
    expect(RANDOM_SESSION_KEY_NOTICE).toContain('--session-key-file');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'meshlens-keys-')), 'keys');
    writeFileSync(keyFile, `${Buffer.alloc(32, 2).toString('base64')}\n${Buffer.alloc(32, 3).toString('base64')}\n`);
    const withKeys = authForServe({ ...opts, sessionKeyFile: keyFile }, clusters);
    expect(withKeys.notice).toBeUndefined();
    expect(withKeys.config.sessionKeys).toEqual([Buffer.alloc(32, 2), Buffer.alloc(32, 3)]);
    expect(authForServe({ ...base, auth: 'anonymous', istioNamespace: 'istio-system' }, undefined).notice).toBeUndefined();
  });
});
