import { describe, expect, it } from 'vitest';
import { traceRequest } from './index.js';
import { inventoryOf, project } from './__fixtures__/load.js';
const BOOKINFO = ['bookinfo.yaml', 'bookinfo-drs.yaml'];
const HTTPBIN = ['istio-system.yaml', 'httpbin.yaml'];

describe("traceRequest on Bookinfo (request routing, faults, shifting, timeouts, subsets, DestinationRule lookup, exportTo)", () => {
  it("routes end-user jason to reviews v2 (request routing task)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-jason.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].match[0].headers.end-user @13",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @16",
              "DestinationRule bookinfo/reviews spec.subsets[1] @14"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @14",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("routes every other user to reviews v1 (request routing task)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-jason.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, path: '/reviews/0', headers: { 'end-user': 'mary' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[1] @19",
              "VirtualService bookinfo/reviews spec.http[1].route[0] @20",
              "DestinationRule bookinfo/reviews spec.subsets[0] @11"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[0] @11",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("injects the 7 s delay for jason on ratings, with no timeout or retries on that rule", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'ratings-faults.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'reviews-v2' }, protocol: 'http', host: 'ratings', port: 9080, headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/reviews-v2(1) -> service:ratings.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/ratings spec.http[0] @11",
              "VirtualService bookinfo/ratings spec.http[0].match[0].headers.end-user @13",
              "VirtualService bookinfo/ratings spec.http[0].route[0] @21",
              "DestinationRule bookinfo/ratings spec.subsets[0] @29",
              "VirtualService bookinfo/ratings spec.http[0].fault.delay @16"
            ]
          },
          {
            "step": "service:ratings.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/ratings-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/ratings spec.subsets[0] @29",
              "Service bookinfo/ratings spec.selector @34"
            ]
          }
        ],
        "destination": "workload:bookinfo/ratings-v1(1)",
        "dsh": "ratings.bookinfo.svc.cluster.local",
        "fault": {
          "delay": "7000ms x1 @16"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("aborts every request of jason to ratings with 500 FI (abort at 100%)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'ratings-abort.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'reviews-v2' }, protocol: 'http', host: 'ratings', port: 9080, headers: { 'end-user': 'jason' } });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "fault-abort 500 FI",
        "hops": [
          {
            "step": "workload:bookinfo/reviews-v2(1) -> service:ratings.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/ratings spec.http[0] @11",
              "VirtualService bookinfo/ratings spec.http[0].match[0].headers.end-user @13",
              "VirtualService bookinfo/ratings spec.http[0].route[0] @21",
              "DestinationRule bookinfo/ratings spec.subsets[0] @29",
              "VirtualService bookinfo/ratings spec.http[0].fault.abort @16"
            ]
          }
        ],
        "destination": "service:ratings.bookinfo.svc.cluster.local:9080/v1",
        "dsh": "ratings.bookinfo.svc.cluster.local",
        "fault": {
          "abort": "500 x1 @16"
        }
      }
    ]);
  });

  it("splits an abort at 50% into a fault-abort path and a delivered path", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'ratings-faults.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080, path: '/details/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "fault-abort 500 FI",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:details.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/details spec.http[0] @38",
              "VirtualService bookinfo/details spec.http[0].route[0] @44",
              "DestinationRule bookinfo/details spec.subsets[0] @41",
              "VirtualService bookinfo/details spec.http[0].fault.abort @39"
            ]
          }
        ],
        "destination": "service:details.bookinfo.svc.cluster.local:9080/v1",
        "dsh": "details.bookinfo.svc.cluster.local",
        "fault": {
          "abort": "500 x0.5 @39"
        }
      },
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:details.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/details spec.http[0] @38",
              "VirtualService bookinfo/details spec.http[0].route[0] @44",
              "DestinationRule bookinfo/details spec.subsets[0] @41"
            ]
          },
          {
            "step": "service:details.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/details-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/details spec.subsets[0] @41",
              "Service bookinfo/details spec.selector @19"
            ]
          }
        ],
        "destination": "workload:bookinfo/details-v1(1)",
        "dsh": "details.bookinfo.svc.cluster.local",
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("shifts traffic 50/50 between reviews v1 and v3", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-shifting.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @12",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @13",
              "DestinationRule bookinfo/reviews spec.subsets[0] @11"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[0] @11",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.5,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v3 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @12",
              "VirtualService bookinfo/reviews spec.http[0].route[1] @17",
              "DestinationRule bookinfo/reviews spec.subsets[2] @17"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v3 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[2] @17",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("shifts traffic 80/20 between reviews v1 and v2", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-80-20.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.8,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @12",
              "DestinationRule bookinfo/reviews spec.subsets[0] @11"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[0] @11",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.2,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].route[1] @16",
              "DestinationRule bookinfo/reviews spec.subsets[1] @14"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @14",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("normalises relative weights 1 and 3 to 25%/75%, and a destination without weight gets nothing", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-relative.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.25,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @12",
              "DestinationRule bookinfo/reviews spec.subsets[0] @11"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[0] @11",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.75,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].route[1] @16",
              "DestinationRule bookinfo/reviews spec.subsets[1] @14"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @14",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("puts the 0.5 s route timeout of reviews on the path (request timeouts task)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-timeout.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews.bookinfo.svc.cluster.local', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @11",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @12",
              "DestinationRule bookinfo/reviews spec.subsets[1] @14"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @14",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "timeoutMs": 500,
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("ignores the timeout of a rule that injects a delay (deprecated percent honoured)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-timeout.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'reviews-v2' }, protocol: 'http', host: 'ratings', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/reviews-v2(1) -> service:ratings.bookinfo.svc.cluster.local:9080/v1 [http]",
            "decidedBy": [
              "VirtualService bookinfo/ratings spec.http[0] @26",
              "VirtualService bookinfo/ratings spec.http[0].route[0] @31",
              "DestinationRule bookinfo/ratings spec.subsets[0] @29",
              "VirtualService bookinfo/ratings spec.http[0].fault.delay @27"
            ]
          },
          {
            "step": "service:ratings.bookinfo.svc.cluster.local:9080/v1 -> workload:bookinfo/ratings-v1(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/ratings spec.subsets[0] @29",
              "Service bookinfo/ratings spec.selector @34"
            ]
          }
        ],
        "destination": "workload:bookinfo/ratings-v1(1)",
        "dsh": "ratings.bookinfo.svc.cluster.local",
        "fault": {
          "delay": "2000ms x1 @27"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("answers 503 UH when the subset is defined in no DestinationRule", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'missing-subset.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-healthy-upstream 503 UH",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v4 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @12",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @13"
            ]
          }
        ],
        "destination": "service:reviews.bookinfo.svc.cluster.local:9080/v4",
        "dsh": "reviews.bookinfo.svc.cluster.local"
      }
    ]);
  });

  it("answers 503 UH when the subset (from a merged second DestinationRule) selects no pod", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'missing-subset.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'reviews-v2' }, protocol: 'http', host: 'ratings', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-healthy-upstream 503 UH",
        "hops": [
          {
            "step": "workload:bookinfo/reviews-v2(1) -> service:ratings.bookinfo.svc.cluster.local:9080/v9 [http]",
            "decidedBy": [
              "VirtualService bookinfo/ratings spec.http[0] @26",
              "VirtualService bookinfo/ratings spec.http[0].route[0] @27",
              "DestinationRule bookinfo/ratings-v9 spec.subsets[0] @39"
            ]
          }
        ],
        "destination": "service:ratings.bookinfo.svc.cluster.local:9080/v9",
        "dsh": "ratings.bookinfo.svc.cluster.local"
      }
    ]);
  });

  it("answers 404 NR when the host has a VirtualService but no rule matches", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'missing-subset.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'details', port: 9080, path: '/details/0' });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "no-route 404 NR",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:details.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": [
              "VirtualService bookinfo/details spec.hosts[0] @50"
            ]
          }
        ],
        "destination": "service:details.bookinfo.svc.cluster.local:9080",
        "dsh": "details.bookinfo.svc.cluster.local"
      }
    ]);
  });

  it("uses the DestinationRule of the client namespace first", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'dr-lookup.yaml'), { source: { kind: 'workload', namespace: 'frontend', name: 'web' }, protocol: 'http', host: 'reviews.bookinfo', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/web(1) -> service:reviews.bookinfo.svc.cluster.local:9080/pinned [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @61",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @62",
              "DestinationRule frontend/reviews-frontend spec.subsets[0] @74"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/pinned -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "DestinationRule frontend/reviews-frontend spec.subsets[0] @74",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("uses the DestinationRule of the service namespace next", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'dr-lookup.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/pinned [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @61",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @62",
              "DestinationRule bookinfo/reviews spec.subsets[0] @88"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/pinned -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[0] @88",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("falls back to the root namespace when the service namespace DR is not exported to the client", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'dr-lookup.yaml'), { source: { kind: 'workload', namespace: 'third', name: 'tool' }, protocol: 'http', host: 'reviews.bookinfo.svc.cluster.local', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:third/tool(1) -> service:reviews.bookinfo.svc.cluster.local:9080/pinned [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @61",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @62",
              "DestinationRule istio-system/reviews-default spec.subsets[0] @100"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/pinned -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "DestinationRule istio-system/reviews-default spec.subsets[0] @100",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("hides a VirtualService exported only to its namespace from other namespaces (default route)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'exportto.yaml'), { source: { kind: 'workload', namespace: 'frontend', name: 'web' }, protocol: 'http', host: 'reviews.bookinfo', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/web(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v1(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v1(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/web(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      },
      {
        "weight": 0.333333,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/web(1) -> service:reviews.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080 -> workload:bookinfo/reviews-v3(1) [http]",
            "decidedBy": [
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v3(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("applies that VirtualService inside its own namespace", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'exportto.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:bookinfo/productpage-v1(1) -> service:reviews.bookinfo.svc.cluster.local:9080/v2 [http]",
            "decidedBy": [
              "VirtualService bookinfo/reviews spec.http[0] @39",
              "VirtualService bookinfo/reviews spec.http[0].route[0] @40",
              "DestinationRule bookinfo/reviews spec.subsets[1] @14"
            ]
          },
          {
            "step": "service:reviews.bookinfo.svc.cluster.local:9080/v2 -> workload:bookinfo/reviews-v2(1) [http]",
            "decidedBy": [
              "DestinationRule bookinfo/reviews spec.subsets[1] @14",
              "Service bookinfo/reviews spec.selector @49"
            ]
          }
        ],
        "destination": "workload:bookinfo/reviews-v2(1)",
        "dsh": "reviews.bookinfo.svc.cluster.local",
        "retries": {
          "attempts": 2,
          "retryOn": "connect-failure,refused-stream,unavailable,cancelled"
        },
        "tls": "ISTIO_MUTUAL"
      }
    ]);
  });

  it("treats a Service exported only to its namespace as unknown elsewhere (PassthroughCluster)", () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'exportto.yaml'), { source: { kind: 'workload', namespace: 'frontend', name: 'web' }, protocol: 'http', host: 'internal.bookinfo', port: 9080 });
    expect(r.problems).toEqual([]);
    expect(project(r.paths)).toEqual([
      {
        "weight": 1,
        "outcome": "delivered",
        "hops": [
          {
            "step": "workload:frontend/web(1) -> passthrough:internal.bookinfo.svc.cluster.local:9080 [http]",
            "decidedBy": []
          }
        ],
        "destination": "passthrough:internal.bookinfo.svc.cluster.local:9080",
        "dsh": "internal.bookinfo",
        "tls": "NONE"
      }
    ]);
  });

  it('writes the hop explanation of header routing as one checkable sentence', () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'reviews-jason.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080, headers: { 'end-user': 'jason' } });
    expect(r.paths[0]!.hops[0]!.explanation).toBe(
      "The sidecar of bookinfo/productpage-v1 matched rule spec.http[0] of VirtualService bookinfo/reviews (header end-user exact 'jason') for reviews.bookinfo.svc.cluster.local on port 9080 (HTTP) "
      + 'and sent the request to subset v2 (labels version=v2) of reviews.bookinfo.svc.cluster.local:9080, selected by DestinationRule bookinfo/reviews.',
    );
    expect(r.paths[0]!.hops[0]!.decidedBy[1]).toEqual({
      object: { kind: 'VirtualService', namespace: 'bookinfo', name: 'reviews' }, path: 'spec.http[0].match[0].headers.end-user',
      file: 'reviews-jason.yaml', line: 13, column: 9, note: "Condition header end-user exact 'jason' held.",
    });
  });

  it('explains a missing subset', () => {
    const r = traceRequest(inventoryOf(...BOOKINFO, 'missing-subset.yaml'), { source: { kind: 'workload', namespace: 'bookinfo', name: 'productpage-v1' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r.paths[0]!.hops[0]!.explanation).toContain('but DestinationRule bookinfo/reviews (found in the client namespace) has no subset v4; the route points to a cluster that does not exist and the proxy answers 503 (UH).');
  });

  it('reports an unknown source workload as a problem, with no paths', () => {
    const r = traceRequest(inventoryOf(...BOOKINFO), { source: { kind: 'workload', namespace: 'bookinfo', name: 'nope' }, protocol: 'http', host: 'reviews', port: 9080 });
    expect(r).toEqual({ request: r.request, paths: [], problems: ['Workload bookinfo/nope is not in the inventory.'] });
  });
});
