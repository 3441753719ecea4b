import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createDemoSource } from '@meshlens/sources';
import { buildApp } from './app.js';
import { compressedBody, preferredEncoding } from './compressed-bodies.js';

describe('graph answers compressed once per cached graph', () => {
  it('picks br, then gzip, from Accept-Encoding, honouring q=0 and *', () => {
    expect(['gzip, deflate, br, zstd', 'gzip', 'br;q=0, gzip', 'identity', '*', 'br;q=0, gzip;q=0', 'deflate', 'BR;q=0.5'].map(preferredEncoding))
      .toEqual(['br', 'gzip', 'gzip', undefined, 'br', undefined, undefined, 'br']);
    expect(preferredEncoding(undefined)).toBeUndefined();
    expect(preferredEncoding(['gzip', 'br'])).toBe('br');
  });

  it('compresses a body once per encoding and shares the result', async () => {
    const body = Buffer.from(JSON.stringify({ nodes: Array.from({ length: 500 }, (_, i) => ({ id: `n${i}` })) }));
    const a = compressedBody(body, 'br');
    expect(compressedBody(body, 'br')).toBe(a);
    expect(brotliDecompressSync(await a).equals(body)).toBe(true);
    expect(gunzipSync(await compressedBody(body, 'gzip')).equals(body)).toBe(true);
  });

  it('GET /api/graph answers the same JSON in br, gzip and identity, the compressed bytes shared between requests', async () => {
    const app = await buildApp({ source: createDemoSource({ seed: 7 }), webRoot: false });
    try {
      const url = '/api/graph?namespaces=bookinfo-routing,istio-system&graphType=versionedApp&duration=600';
      const plain = await app.inject({ method: 'GET', url });
      expect(plain.headers['content-encoding']).toBeUndefined();
      const json = plain.rawPayload;
      expect(JSON.parse(json.toString()).elements.nodes.length).toBeGreaterThan(3);
      const br1 = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      const br2 = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect([br1.headers['content-encoding'], br1.headers.vary]).toEqual(['br', 'accept-encoding']);
      expect(brotliDecompressSync(br1.rawPayload).equals(json)).toBe(true);
      expect(br2.rawPayload.equals(br1.rawPayload)).toBe(true);
      const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(json)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
