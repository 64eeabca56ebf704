import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CandidateEventSchema,
  IDENTITY_EVENT_TYPES,
  LogNameSchema,
  SIGNAL_CODES,
  SessionEventSchema,
  candidateEventType,
  parse,
  type CandidateEvent,
  type Parsed,
} from './index.js';

const AT = 1_700_000_000_000;
const signal = { kind: 'signal', id: 'evt-00000001', code: 'page-hidden', data: {}, at: AT } as const;
const log = { kind: 'log', id: 'evt-00000002', name: 'question.opened', data: { question: 3 }, at: AT } as const;
const ack = { kind: 'ack', id: 'evt-00000003', messageId: 'msg-000001', at: AT } as const;
const event = { seq: 1, at: AT, type: 'session.started', source: 'candidate', data: { durationMs: 3_600_000 } } as const;

function refused(result: Parsed<unknown>): string {
  assert.equal(result.ok, false, 'the input is refused');
  return (result as { message: string }).message;
}

describe('candidate events', () => {
  test('accept a signal, a log line and an acknowledgement', () => {
    for (const input of [signal, log, ack]) assert.deepEqual(parse(CandidateEventSchema, input), { ok: true, value: input });
  });

  test('accept every documented signal code, and no other', () => {
    assert.equal(new Set(SIGNAL_CODES).size, SIGNAL_CODES.length);
    for (const code of SIGNAL_CODES) assert.equal(parse(CandidateEventSchema, { ...signal, code }).ok, true, code);
    assert.match(refused(parse(CandidateEventSchema, { ...signal, code: 'mind-reading' })), /^code: /);
  });

  test('refuse an unknown kind', () => {
    assert.match(refused(parse(CandidateEventSchema, { ...signal, kind: 'flag' })), /^kind: /);
  });

  test('refuse a client id that is too short, too long or has odd characters', () => {
    for (const id of ['short', 'x'.repeat(65), 'has spaces in', 'a/b/c/d/e', 12345678]) {
      assert.match(refused(parse(CandidateEventSchema, { ...signal, id })), /^id: /, String(id));
    }
  });

  test('refuse data over 2 KB of JSON, and accept 2 KB exactly', () => {
    const empty = JSON.stringify({ pad: '' }).length;
    const exact = { pad: 'x'.repeat(2048 - empty) };
    assert.equal(JSON.stringify(exact).length, 2048);
    assert.equal(parse(CandidateEventSchema, { ...log, data: exact }).ok, true);
    const over = { pad: 'x'.repeat(2049 - empty) };
    assert.equal(refused(parse(CandidateEventSchema, { ...log, data: over })), 'data: must be at most 2 KB of JSON');
  });

  test('refuse data nested deeper than 8 levels, however deep, without overflowing the stack', () => {
    const nest = (levels: number) => {
      let data: Record<string, unknown> = {};
      for (let i = 1; i < levels; i++) data = { a: data };
      return data;
    };
    assert.equal(parse(CandidateEventSchema, { ...log, data: nest(8) }).ok, true);
    assert.equal(refused(parse(CandidateEventSchema, { ...log, data: nest(9) })), 'data: must nest at most 8 levels');
    assert.equal(refused(parse(SessionEventSchema, { ...event, data: nest(100_000) })), 'data: must nest at most 8 levels');
  });

  test('refuse data JSON cannot hold', () => {
    assert.equal(refused(parse(CandidateEventSchema, { ...log, data: { big: 1n } })), 'data: must be JSON');
  });

  test('refuse data that is not an object, or has overlong keys', () => {
    for (const data of [null, 'text', 3, true]) assert.match(refused(parse(CandidateEventSchema, { ...log, data })), /^data: /);
    assert.equal(parse(CandidateEventSchema, { ...log, data: { ['k'.repeat(65)]: 1 } }).ok, false);
  });

  test('refuse a missing or non-numeric time', () => {
    const { at: _at, ...untimed } = signal;
    assert.match(refused(parse(CandidateEventSchema, untimed)), /^at: /);
    assert.match(refused(parse(CandidateEventSchema, { ...signal, at: '2024-01-01' })), /^at: /);
  });

  test('refuse an acknowledgement without a valid message id', () => {
    assert.match(refused(parse(CandidateEventSchema, { ...ack, messageId: 'abc' })), /^messageId: /);
    const { messageId: _m, ...bare } = ack;
    assert.match(refused(parse(CandidateEventSchema, bare)), /^messageId: /);
  });

  test('are logged as signal.<code>, log.<name> and message.acked', () => {
    assert.equal(candidateEventType(signal as CandidateEvent), 'signal.page-hidden');
    assert.equal(candidateEventType(log as CandidateEvent), 'log.question.opened');
    assert.equal(candidateEventType(ack as CandidateEvent), 'message.acked');
  });

  test('give types that session events accept', () => {
    for (const code of SIGNAL_CODES) {
      const type = candidateEventType({ ...signal, code } as CandidateEvent);
      assert.equal(parse(SessionEventSchema, { ...event, type }).ok, true, type);
    }
    const longest = candidateEventType({ ...log, name: 'a'.repeat(63) } as CandidateEvent);
    assert.equal(parse(SessionEventSchema, { ...event, type: longest }).ok, true, 'the longest log name');
  });
});

describe('log names', () => {
  test('accept lowercase dotted names', () => {
    for (const name of ['question.opened', 'answer.graded', 'a', '0', 'step_2-b.c', 'a'.repeat(63)]) {
      assert.equal(parse(LogNameSchema, name).ok, true, name);
    }
  });

  test('refuse capitals, spaces, leading punctuation, slashes and names over 63 characters', () => {
    for (const name of ['Question.opened', 'question opened', '.hidden', '-x', 'a/b', '', 'a'.repeat(64), 'é']) {
      assert.equal(parse(LogNameSchema, name).ok, false, JSON.stringify(name));
    }
  });
});

describe('session events', () => {
  test('accept an event with or without occurredAt and by', () => {
    assert.deepEqual(parse(SessionEventSchema, event), { ok: true, value: event });
    const full = { ...event, occurredAt: AT - 5000, by: 'Supervisor Sam', source: 'supervisor' };
    assert.deepEqual(parse(SessionEventSchema, full), { ok: true, value: full });
  });

  test('number events from 1, in whole numbers', () => {
    for (const seq of [0, -1, 1.5, '1']) assert.match(refused(parse(SessionEventSchema, { ...event, seq })), /^seq: /);
  });

  test('know four sources', () => {
    for (const source of ['server', 'candidate', 'supervisor', 'host']) {
      assert.equal(parse(SessionEventSchema, { ...event, source }).ok, true, source);
    }
    assert.match(refused(parse(SessionEventSchema, { ...event, source: 'admin' })), /^source: /);
  });

  test('accept every identity check type, distinct and in the identity family', () => {
    assert.equal(new Set(IDENTITY_EVENT_TYPES).size, IDENTITY_EVENT_TYPES.length);
    for (const type of IDENTITY_EVENT_TYPES) {
      assert.match(type, /^identity\./);
      assert.equal(parse(SessionEventSchema, { ...event, type, source: 'server' }).ok, true, type);
    }
  });

  test('refuse a type that is not <family>.<name>', () => {
    for (const type of ['started', 'Session.started', 'session.', '.started', 'session.Started']) {
      assert.match(refused(parse(SessionEventSchema, { ...event, type })), /^type: /, type);
    }
  });
});

describe('parse', () => {
  test('refuses, never throws, a value whose prototype breaks the description of it (found by the fuzz test)', () => {
    const hostile = Object.create({ constructor: { name: [Object.create(null)] } }) as object;
    assert.deepEqual(parse(SessionEventSchema.entries.source, hostile), { ok: false, message: 'is not a value this protocol accepts' });
  });
});
