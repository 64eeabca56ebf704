/**
 * Messages for tests that feed the protocol hostile input: a valid message of every client type
 * (the type checker asks for one when a type is added), and the paths to every field of a value,
 * to replace one at a time.
 */
import { PROTOCOL_VERSION, type ClientMessage } from '../src/protocol/index.js';

export type ClientType = ClientMessage['type'];
export type ValidClientMessages = { [T in ClientType]: Extract<ClientMessage, { type: T }> };
/** Where a field sits in a value, e.g. `['events', 1, 'data']`. */
export type FieldPath = (string | number)[];

/** A valid message of every client type, about `sessionId`, to the supervisor connection `supervisorPeer`. */
export function validClientMessages(sessionId: string, supervisorPeer: string, id: string, at: number): ValidClientMessages {
  const v = PROTOCOL_VERSION;
  return {
    'session.start': { v, type: 'session.start' },
    'clock.ping': { v, type: 'clock.ping', id: 7 },
    'log.append': {
      v,
      type: 'log.append',
      events: [
        { kind: 'signal', id: 'evt-00000001', code: 'page-hidden', data: {}, at },
        { kind: 'log', id: 'evt-00000002', name: 'question.opened', data: { question: 3, tags: ['a'] }, at },
        { kind: 'ack', id: 'evt-00000003', messageId: 'msg-000001', at },
      ],
    },
    'events.fetch': { v, type: 'events.fetch', sessionId, afterSeq: 0 },
    'command.pause': { v, type: 'command.pause', id, target: sessionId },
    'command.resume': { v, type: 'command.resume', id, target: '*' },
    'command.extend': { v, type: 'command.extend', id, target: sessionId, minutes: 10 },
    'command.message': { v, type: 'command.message', id, target: '*', text: 'Five minutes left.' },
    'command.terminate': { v, type: 'command.terminate', id, target: sessionId, reason: 'Phone in use.' },
    'command.identity': { v, type: 'command.identity', id, target: sessionId, verdict: 'rejected', reason: 'Blurred.' },
    'command.room-scan': { v, type: 'command.room-scan', id, target: sessionId },
    'feed.state': { v, type: 'feed.state', feed: 'webcam', state: 'live' },
    'recording.backlog': { v, type: 'recording.backlog', feed: 'screen', pendingMs: 8000 },
    'feed.subscribe': { v, type: 'feed.subscribe', sessionId, feeds: ['webcam', 'phone'], quality: 'thumbnail' },
    'feed.unsubscribe': { v, type: 'feed.unsubscribe', sessionId },
    'feed.quality': { v, type: 'feed.quality', sessionId, quality: 'full' },
    'rtc.offer': { v, type: 'rtc.offer', peer: supervisorPeer, pcId: 'pc-000001', sdp: 'v=0\r\n', feeds: { '0': 'webcam' } },
    'rtc.answer': { v, type: 'rtc.answer', peer: sessionId, source: 'phone', pcId: 'pc-000001', sdp: 'v=0\r\n' },
    'rtc.ice': {
      v,
      type: 'rtc.ice',
      peer: supervisorPeer,
      pcId: 'pc-000001',
      candidate: { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    },
  };
}

/** Every path to a field of `value`, found without recursion. */
export function fieldPaths(value: unknown): FieldPath[] {
  const paths: FieldPath[] = [];
  const stack: [unknown, FieldPath][] = [[value, []]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (path.length > 0) paths.push(path);
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, child] of Object.entries(item)) stack.push([child, [...path, Array.isArray(item) ? Number(key) : key]]);
  }
  return paths;
}
