/** Writes real kubeconfig files (YAML, as kubectl writes them) pointing at a test API server. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApiServer } from './server.js';

export interface TestContext {
  name: string;
  server: TestApiServer;
  token: string;
  namespace?: string;
}

/** A kubeconfig with one cluster/user/context per entry; the first is the current context. Returns its path. */
export function writeKubeconfig(contexts: TestContext[], dir = mkdtempSync(join(tmpdir(), 'meshlens-kubeconfig-'))): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}-cluster`, '  cluster:', `    server: ${c.server.url}`, `    certificate-authority: ${c.server.tls.caFile}`);
  lines.push('users:');
  for (const c of contexts) lines.push(`- name: ${c.name}-user`, '  user:', `    token: ${c.token}`);
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}-cluster`, `    user: ${c.name}-user`, ...(c.namespace ? [`    namespace: ${c.namespace}`] : []));
  lines.push(`current-context: ${contexts[0]?.name ?? ''}`, 'preferences: {}', '');
  const path = join(dir, 'config');
  writeFileSync(path, lines.join('\n'), { mode: 0o600 });
  return path;
}

/** A service-account directory as the kubelet mounts it: token, ca.crt, namespace. */
export function writeServiceAccountDir(server: TestApiServer, token: string, namespace = 'meshlens'): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-sa-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'token'), token);
  writeFileSync(join(dir, 'ca.crt'), server.tls.caPem);
  writeFileSync(join(dir, 'namespace'), namespace);
  return dir;
}
