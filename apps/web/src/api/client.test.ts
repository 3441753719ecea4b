import { describe, expect, it } from 'vitest';
import { ApiRequestError, errorForResponse, graphPath, ServerUnreachableError } from './client';

describe('graph request URL', () => {
  it('carries the namespaces, type, duration and options', () => {
    expect(graphPath({ namespaces: ['bookinfo', 'default'], graphType: 'versionedApp', duration: 600, queryTime: null, includeIdle: false, responseTimes: true })).toBe(
      '/api/graph?namespaces=bookinfo,default&graphType=versionedApp&duration=600',
    );
    expect(graphPath({ namespaces: ['a'], graphType: 'service', duration: 60, queryTime: 1700000000, includeIdle: true, responseTimes: false })).toBe(
      '/api/graph?namespaces=a&graphType=service&duration=60&queryTime=1700000000&includeIdle=true&responseTime=false',
    );
  });
});

describe('errors a person can act on', () => {
  it("shows the server's message for a refused request", () => {
    const error = errorForResponse(400, 'Bad Request', { statusCode: 400, error: 'Bad Request', message: 'unknown namespace "nope"' }, 'http://x');
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error.message).toBe('The server refused this request: unknown namespace "nope"');
  });

  it('says the server is not running when a proxy answers for it', () => {
    const error = errorForResponse(502, 'Bad Gateway', undefined, 'http://127.0.0.1:5173');
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect(error.message).toBe(
      'The Meshlens server at http://127.0.0.1:5173 did not answer (HTTP 502 Bad Gateway); is `meshlens serve` running?',
    );
  });
});
