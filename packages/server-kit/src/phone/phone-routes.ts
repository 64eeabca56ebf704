import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { toString as qrCode } from 'qrcode';
import { PhoneRedeemSchema, parse, type Claims, type PhonePairing, type PhoneRedeemed } from '@proctorkit/core/protocol';
import { KitError } from '../errors.js';
import type { SessionHub } from '../hub.js';
import type { Sessions } from '../sessions.js';
import type { SessionRecord } from '../store/session-store.js';
import type { TokenIssuer } from '../tokens.js';
import { displayCode, type PhonePairings } from './pairings.js';

type Handler = (request: Request, response: Response, claims: Claims) => Promise<void>;

/** What the phone routes need of the kit. */
export interface PhoneRouteDeps {
  sessions: Sessions;
  hub: SessionHub;
  tokens: TokenIssuer;
  pairings: PhonePairings;
  /** The host's phone page, absolute or relative to the request's origin. */
  phonePageUrl: string;
  authorized(handler: Handler): RequestHandler;
  readable(request: Request, claims: Claims): Promise<SessionRecord>;
}

/**
 * Phone pairing. The candidate's page asks for a pairing (`POST /sessions/:id/phone/pairings`):
 * a link to the host's phone page carrying a one-time secret, its QR code, and a short code to type
 * instead. The phone page redeems one of them (`POST /phone/redeem`) for a phone token, once and
 * within 5 minutes; the token publishes the session's `phone` feed until the next pairing.
 */
export function mountPhoneRoutes(router: Router, deps: PhoneRouteDeps): void {
  const { sessions, hub, tokens, pairings, authorized, readable } = deps;

  router.post(
    '/sessions/:sessionId/phone/pairings',
    authorized(async (request, response, claims) => {
      const record = await readable(request, claims);
      if (claims.role !== 'candidate') throw new KitError('forbidden', "Only the candidate's page may pair a phone.");
      if (record.clock.endedAt !== null) throw new KitError('conflict', 'This exam has ended.');
      const pending = pairings.create(record.sessionId);
      const url = new URL(deps.phonePageUrl, `${request.protocol}://${request.get('host')}`);
      url.searchParams.set('pairing', pending.secret);
      const pairing: PhonePairing = {
        pairingId: pending.pairingId,
        url: url.href,
        qrSvg: await qrCode(url.href, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
        code: displayCode(pending.code),
        expiresAt: pending.expiresAt,
      };
      response.status(201).set('Cache-Control', 'no-store').json(pairing);
    }),
  );

  router.post('/phone/redeem', express.json({ limit: '1kb', strict: true }), async (request, response, next) => {
    try {
      const input = parse(PhoneRedeemSchema, request.body);
      if (!input.ok) throw new KitError('bad-message', `Send { pairing } from the link or { code } as shown on the exam page: ${input.message}.`);
      const pending = pairings.redeem(input.value);
      const record = await sessions.require(pending.sessionId);
      await sessions.phonePaired(record.sessionId, pending.pairingId);
      hub.replacePhone(record.sessionId);
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
