import type { Request, RequestHandler, Response, Router } from 'express';
import { toString as qrCode } from 'qrcode';
import {
  PhoneRedeemSchema,
  displayPairingCode,
  parse,
  type Claims,
  type PhonePairing,
  type PhoneRedeemed,
} from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import { jsonBody } from '../http/json-body.js';
import type { KitLimits } from '../limits/limits.js';
import type { KitBus } from '../bus/kit-bus.js';
import { SharedRateLimit } from '../limits/shared-rate-limit.js';
import type { Logger } from '../logger.js';
import type { SessionHub } from '../hub.js';
import type { Sessions } from '../sessions.js';
import type { SessionRecord } from '../store/session-store.js';
import type { TokenIssuer } from '../tokens.js';
import type { PhonePairings } from './pairings.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** What the phone routes need of the kit. */
export interface PhoneRouteDeps {
  sessions: Sessions;
  hub: SessionHub;
  tokens: TokenIssuer;
  pairings: PhonePairings;
  /** The host's phone page, absolute or relative to the request's origin. */
  phonePageUrl: string;
  limits: Pick<KitLimits, 'pairingAttemptsPerMinute' | 'pairingFailuresPerMinute'>;
  authorized(handler: Handler): RequestHandler;
  readable(request: Request, claims: Claims): Promise<SessionRecord>;
  /** Where the limits on redeeming are shared with the other instances. */
  bus: KitBus;
  logger: Logger;
}

/**
 * Phone pairing. The candidate's page asks for a pairing (`POST /sessions/:id/phone/pairings`):
 * a link to the host's phone page carrying a one-time secret, its QR code, and a short code to type
 * instead. The phone page redeems one of them (`POST /phone/redeem`) for a phone token, once and
 * within 5 minutes; the token publishes the session's `phone` feed until the next pairing.
 * Redeeming is throttled per client address, and wrong codes for the whole kit, against guessing.
 */
export function mountPhoneRoutes(router: Router, deps: PhoneRouteDeps): void {
  const { sessions, hub, tokens, pairings, authorized, readable, limits } = deps;
  // An absolute phone page is the configured origin: links never depend on a request's Host.
  const absolutePage = URL.canParse(deps.phonePageUrl) ? deps.phonePageUrl : undefined;
  const attempts = SharedRateLimit.per(deps.bus, 'pairing-attempts', limits.pairingAttemptsPerMinute, 60_000, deps.logger);
  const wrongCodes = SharedRateLimit.per(deps.bus, 'pairing-wrong-codes', limits.pairingFailuresPerMinute, 60_000, deps.logger);
  const throttled = (retryAfterMs: number) =>
    new KitError('rate-limited', 'Too many pairing attempts. Wait a minute, or scan the QR code on the exam page.', { retryAfterMs });

  router.post(
    '/sessions/:sessionId/phone/pairings',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      if (claims.role !== 'candidate') throw new KitError('forbidden', "Only the candidate's page may pair a phone.");
      if (record.clock.endedAt !== null) throw new KitError('conflict', 'This exam has ended.');
      const pending = await pairings.create(record.sessionId);
      const url = new URL(absolutePage ?? new URL(deps.phonePageUrl, requestOrigin(request)));
      url.searchParams.set('pairing', pending.secret);
      const pairing: PhonePairing = {
        pairingId: pending.pairingId,
        url: url.href,
        qrSvg: await qrCode(url.href, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
        code: displayPairingCode(pending.code),
        expiresAt: pending.expiresAt,
      };
      response.status(201).set('Cache-Control', 'no-store').json(pairing);
    }),
  );

  router.post('/phone/redeem', async (request, response, next) => {
    try {
      const wait = await attempts.take(request.ip ?? request.socket.remoteAddress ?? '');
      if (wait > 0) throw throttled(wait);
      const input = parse(PhoneRedeemSchema, await jsonBody(request, 1024));
      if (!input.ok) throw new KitError('bad-message', `Send { pairing } from the link or { code } as shown on the exam page: ${input.message}.`);
      const byCode = 'code' in input.value;
      const busy = byCode ? await wrongCodes.retryAfterMs('') : 0;
      if (busy > 0) throw throttled(busy);
      let pending;
      try {
        pending = await pairings.redeem(input.value);
      } catch (error) {
        if (byCode) await wrongCodes.take('');
        throw error;
      }
      const record = await sessions.require(pending.sessionId);
      await sessions.phonePaired(record.sessionId, pending.pairingId);
      hub.replacePhone(record.sessionId, pending.pairingId);
      const token = await tokens.issue({
        role: 'phone',
        examId: record.examId,
        candidateId: record.candidateId,
        name: record.name,
        sessionId: record.sessionId,
        pairingId: pending.pairingId,
      });
      const redeemed: PhoneRedeemed = { token, name: record.name, examId: record.examId };
      response.set('Cache-Control', 'no-store').json(redeemed);
    } catch (error) {
      next(error);
    }
  });
}

/** A host name or address, with an optional port: what a `Host` header may hold. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/** The origin the candidate's page used, from its `Host` header; a header that is no host is refused with 400. */
function requestOrigin(request: Request): string {
  const host = request.get('host') ?? '';
  const origin = `${request.protocol}://${host}`;
  // The pattern keeps out paths, users and spaces; the URL parser, ports past 65535 and bad addresses.
  if (!HOST.test(host) || !URL.canParse(origin)) throw new KitError('bad-message', 'The request has no valid Host header.');
  return origin;
}
