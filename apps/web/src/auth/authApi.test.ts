import { describe, expect, it } from 'vitest';
import { errorForResponse } from '../api/client';
import { loginErrorMessage } from './authApi';

describe('loginErrorMessage', () => {
  it('shows the server\'s own sentence for a refused token, and says so when the server is down', () => {
    const refused = errorForResponse(401, 'Unauthorized', { statusCode: 401, error: 'Unauthorized', message: 'The cluster did not accept this token (invalid bearer token).' }, 'http://meshlens:20080');
    expect(loginErrorMessage(refused)).toBe('The cluster did not accept this token (invalid bearer token).');
    const down = errorForResponse(502, 'Bad Gateway', undefined, 'http://meshlens:20080');
    expect(loginErrorMessage(down)).toBe('The Meshlens server at http://meshlens:20080 did not answer (HTTP 502 Bad Gateway); is `meshlens serve` running?');
  });
});
