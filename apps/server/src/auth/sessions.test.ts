/**
 * The session cookie codec (sessions.ts over @fastify/secure-session) and the key file (session-keys.ts): a cookie
 * round-trips, and a tampered one, an expired one, or one sealed with an unknown key is no session; after a key
 * rotation the old key's cookies are still read (and sealed again with the new key), until the old key is removed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken, MAX_COOKIE_BYTES, SESSION_COOKIE, SessionCookies, type Session } from './sessions.js';
import { generateSessionKey, parseSessionKeys, readSessionKeyFile, SessionKeyError } from './session-keys.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const KEY_C = Buffer.alloc(32, 0xc3);
const T0 = Date.parse('2026-03-02T09:00:00Z');
const TTL = 8 * 3600_000;
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A server with only the cookie parser and the session codec; `now` is the clock of its expiry checks. */
async function codec(keys: Buffer[], clock: { now: number } = { now: T0 }, ttlMs = TTL): Promise<{ sessions: SessionCookies; app: FastifyInstance }> {
  const app = Fastify();
  apps.push(app);
  await app.register(fastifyCookie);
  const sessions = new SessionCookies({ keys, ttlMs, now: () => clock.now });
  await sessions.register(app);
  // The routes the auth plugin has, reduced to the session: log in, who am I, log out.
  app.post('/login', async (req) => sessions.start(req, { token: 'eyJhbGciOi.jane-token.sig', user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'], cluster: 'prod' }));
  app.get('/me', async (req) => sessions.read(req) ?? { anonymous: true });
  app.post('/logout', async (req) => {
    sessions.end(req);
    return { ok: true };
  });
  await app.ready();
  return { sessions, app };
}

const JANE: Session = { token: 'eyJhbGciOi.jane-token.sig', tokenHash: hashToken('eyJhbGciOi.jane-token.sig'), user: 'jane', groups: ['bookinfo-viewers', 'system:authenticated'], cluster: 'prod', createdAt: T0, expiresAt: T0 + TTL };

/** Flips one bit of the ciphertext (the part before `;`) at byte `at`. */
function tamper(value: string, at: number): string {
  const [cipher, nonce] = value.split(';') as [string, string];
  const bytes = Buffer.from(cipher, 'base64');
  bytes[at] = bytes[at]! ^ 0x01;
  return `${bytes.toString('base64')};${nonce}`;
}

describe('session cookie codec', () => {
  it('round-trips a session, and the cookie shows nothing of the token or the user', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const { sessions } = await codec([KEY_A]);
    const value = sessions.seal(JANE);
    expect(value).toMatch(/^[A-Za-z0-9+/]+=*;[A-Za-z0-9+/]{32}$/);
    expect(value).not.toMatch(/jane|prod|bookinfo/);
    expect(Buffer.from(value.split(';')[0]!, 'base64').toString('latin1')).not.toContain('jane');
    expect(sessions.open(value)).toEqual(JANE);
    // Each seal has its own nonce: two cookies of one session differ.
    expect(sessions.seal(JANE)).not.toBe(value);
  });

  it('refuses a tampered cookie: any flipped bit, a swapped nonce, a truncated or malformed value', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const { sessions } = await codec([KEY_A]);
    const value = sessions.seal(JANE);
    const length = Buffer.from(value.split(';')[0]!, 'base64').length;
    for (const at of [0, 15, 16, Math.floor(length / 2), length - 1]) expect(sessions.open(tamper(value, at)), `bit at byte ${at}`).toBeUndefined();
    const other = sessions.seal({ ...JANE, user: 'ops' });
    expect(sessions.open(`${value.split(';')[0]};${other.split(';')[1]}`)).toBeUndefined();
    for (const bad of [value.slice(0, 40), value.split(';')[0]!, ';', '', 'Zm9yZ2VkLXNlc3Npb24taWQ', `${value};x`, 'a;b;c', '%%%;%%%']) {
      expect(sessions.open(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('refuses an expired session by its encrypted expiresAt, whatever the cookie\'s Max-Age', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const clock = { now: T0 };
    const { sessions } = await codec([KEY_A], clock);
    const value = sessions.seal(JANE);
    clock.now = T0 + TTL - 1;
    expect(sessions.open(value)?.user).toBe('jane');
    clock.now = T0 + TTL;
    expect(sessions.open(value)).toBeUndefined();
    // A session sealed with a later expiresAt than this server's TTL allows is cut to the TTL.
    clock.now = T0 + 60_000;
    const long = sessions.seal({ ...JANE, expiresAt: T0 + 2 * TTL });
    expect(sessions.open(long)).toBeUndefined();
    // …and one made in the future (beyond a minute of clock skew) is refused.
    expect(sessions.open(sessions.seal({ ...JANE, createdAt: T0 + 10 * 60_000, expiresAt: T0 + 10 * 60_000 + TTL }))).toBeUndefined();
  });

  it('the library\'s own expiry refuses a cookie older than the TTL even if the payload said otherwise', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const clock = { now: T0 };
    const { sessions } = await codec([KEY_A], clock);
    const value = sessions.seal(JANE);
    vi.setSystemTime(T0 + TTL + 61_000);
    expect(sessions.open(value)).toBeUndefined();
  });

  it('refuses sessions whose fields are not what a login writes', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const { sessions, app } = await codec([KEY_A]);
    for (const data of [{}, { ...JANE, token: '' }, { ...JANE, groups: 'admins' }, { ...JANE, groups: [1] }, { ...JANE, user: undefined }, { ...JANE, expiresAt: '9999999999999' }]) {
      const value = app.encodeSecureSession(app.createSecureSession(data));
      expect(sessions.open(value), JSON.stringify(data)).toBeUndefined();
    }
  });

  it('rotation: a cookie of the old key is read while that key is listed, and refused once it is removed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const before = await codec([KEY_A]);
    const old = before.sessions.seal(JANE);
    const rotated = await codec([KEY_B, KEY_A]);
    expect(rotated.sessions.open(old)).toEqual(JANE);
    // New cookies are sealed with the first key only: the old server cannot read them.
    const fresh = rotated.sessions.seal(JANE);
    expect(before.sessions.open(fresh)).toBeUndefined();
    expect((await codec([KEY_B])).sessions.open(fresh)).toEqual(JANE);
    expect((await codec([KEY_B])).sessions.open(old)).toBeUndefined();
  });

  it('refuses a cookie sealed with a key it does not have', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const stranger = (await codec([KEY_C])).sessions.seal(JANE);
    expect((await codec([KEY_A, KEY_B])).sessions.open(stranger)).toBeUndefined();
  });
});

describe('session cookies over HTTP', () => {
  const cookieOf = (setCookie: string | string[] | undefined) => [setCookie ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`));

  it('login sets an httpOnly, SameSite=Strict, Path=/ cookie with the TTL as Max-Age; Secure only behind HTTPS', async () => {
    const { app } = await codec([KEY_A], { now: Date.now() });
    const res = await app.inject({ method: 'POST', url: '/login' });
    const header = cookieOf(res.headers['set-cookie'])!;
    expect(header).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9%]+; Max-Age=28800; Path=/; HttpOnly; SameSite=Strict$`));
    const secure = cookieOf((await app.inject({ method: 'POST', url: '/login', headers: { 'x-forwarded-proto': 'https' } })).headers['set-cookie'])!;
    expect(secure).toMatch(/; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = header.split(';')[0]!;
    const me = await app.inject({ url: '/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: 'jane', cluster: 'prod', groups: ['bookinfo-viewers', 'system:authenticated'] });
    // Reading does not set the cookie again.
    expect(me.headers['set-cookie']).toBeUndefined();
  });

  it('logout answers with a cookie that clears it', async () => {
    const { app } = await codec([KEY_A], { now: Date.now() });
    const cookie = cookieOf((await app.inject({ method: 'POST', url: '/login' })).headers['set-cookie'])!.split(';')[0]!;
    const out = await app.inject({ method: 'POST', url: '/logout', headers: { cookie } });
    expect(cookieOf(out.headers['set-cookie'])).toBe(`${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`);
  });

  it('a request with an old key\'s cookie gets it sealed again with the new key, with the rest of its lifetime', async () => {
    const old = await codec([KEY_A], { now: Date.now() });
    const cookie = cookieOf((await old.app.inject({ method: 'POST', url: '/login' })).headers['set-cookie'])!.split(';')[0]!;
    const rotated = await codec([KEY_B, KEY_A], { now: Date.now() + 3600_000 });
    const res = await rotated.app.inject({ url: '/me', headers: { cookie } });
    expect(res.json()).toMatchObject({ user: 'jane' });
    const resealed = cookieOf(res.headers['set-cookie'])!;
    expect(resealed).toMatch(/; Max-Age=(2519[0-9]|25200); Path=\/; HttpOnly; SameSite=Strict$/);
    // The new cookie opens with the new key alone, with the same expiry.
    const onlyB = await codec([KEY_B], { now: Date.now() + 3600_000 });
    const again = await onlyB.app.inject({ url: '/me', headers: { cookie: resealed.split(';')[0]! } });
    expect(again.json<Session>().expiresAt).toBe(res.json<Session>().expiresAt);
  });

  it('refuses a token too large for a cookie, with a sentence saying what to do; a 1 KB token fits', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(fastifyCookie);
    const sessions = new SessionCookies({ keys: [KEY_A] });
    await sessions.register(app);
    app.post('/login', async (req, reply) => {
      const s = sessions.start(req, { token: (req.body as { token: string }).token, user: 'system:serviceaccount:team-a:viewer', groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'], cluster: 'prod' });
      return 'error' in s ? reply.code(400).send(s) : { ok: true };
    });
    const ok = await app.inject({ method: 'POST', url: '/login', payload: { token: 'x'.repeat(1100) } });
    expect(ok.json()).toEqual({ ok: true });
    expect(cookieOf(ok.headers['set-cookie'])!.split(';')[0]!.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
    const big = await app.inject({ method: 'POST', url: '/login', payload: { token: 'x'.repeat(3000) } });
    expect(big.statusCode).toBe(400);
    expect(big.json<{ error: string }>().error).toMatch(/^This token is too large for a Meshlens session: with its user and 3 groups the encrypted session cookie would be \d{4} bytes, and browsers keep at most 4096\. Log in with a shorter token .* or run Meshlens with --auth header behind an authenticating proxy\.$/);
    expect(big.headers['set-cookie']).toBeUndefined();
  });
});

describe('session key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-keys-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads one key a line, the first first; blank lines, comments and CRLF are fine; base64url too', () => {
    const a = KEY_A.toString('base64');
    const b = KEY_B.toString('base64url');
    expect(readSessionKeyFile(file('keys', `# new key first\r\n${a}\r\n\r\n${b}\n`))).toEqual([KEY_A, KEY_B]);
    expect(parseSessionKeys(`${a}\n${a}\n`, 'dup')).toEqual([KEY_A]);
    const fresh = generateSessionKey();
    expect(fresh).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(parseSessionKeys(fresh, 'fresh')[0]).toHaveLength(32);
  });

  it('names the file and line of a bad key, and never prints the key', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const p = file('bad', `${KEY_A.toString('base64')}\n${short}\n`);
    expect(() => readSessionKeyFile(p)).toThrow(new SessionKeyError(`session key file ${p}, line 2: not a session key (16 bytes, not 32); each line must be the base64 of 32 random bytes (44 characters), as \`meshlens session-key\` prints`));
    let message = '';
    try {
      parseSessionKeys('not a key at all!', 'k');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('session key file k, line 1: not a session key (17 characters that are not base64); each line must be the base64 of 32 random bytes (44 characters), as `meshlens session-key` prints');
    expect(message).not.toContain('not a key at all');
    expect(() => parseSessionKeys('\n# only a comment\n', 'empty')).toThrow('session key file empty holds no key; each line must be the base64 of 32 random bytes (44 characters), as `meshlens session-key` prints');
    expect(() => readSessionKeyFile(join(dir, 'missing'))).toThrow(`session key file ${join(dir, 'missing')}: cannot read it (no such file). Create it with \`meshlens session-key > ${join(dir, 'missing')}\`, or mount the Secret that holds it`);
    expect(() => readSessionKeyFile(dir)).toThrow(/cannot read it \(it is a directory\)/);
  });
});
