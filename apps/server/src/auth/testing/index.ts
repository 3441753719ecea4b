/** Test helpers for auth (`@meshlens/server/testing`): a TokenReview and impersonation front for the test API server. */
export * from './auth-front.js';
