import { describe, expect, it } from 'vitest';
import { buildInventory, parseManifests } from '../inventory/index.js';
import { checkInventory } from './index.js';

const yaml = `apiVersion: v1
kind: Service
metadata:
  name: mixed
  namespace: shop
spec:
  selector: {app: mixed}
  ports:
  - name: dns
    port: 5353
    protocol: UDP
  - name: db
    port: 3306
  - name: metrics
    port: 9090
    appProtocol: http
  - name: web
    port: 8080
  - port: 8443
  - name: http-api
    port: 80
`;

describe('Service port names (KIA0601) as Istio reads them', () => {
  it('flags only TCP ports whose name declares no protocol: UDP ports, well-known ports and ports with appProtocol are not judged by name', () => {
    const inv = buildInventory(parseManifests(yaml, { file: 'svc.yaml' }).objects);
    const found = checkInventory(inv).filter((f) => f.code === 'KIA0601').map((f) => `${f.path} @${f.line}`);
    expect(found).toEqual(['spec.ports[3].name @17', 'spec.ports[4] @19']);
  });
});
