/**
 * Property-based fuzzing of the control channel against a kit in its own process: hostile hellos,
 * then hostile messages from a joined candidate and supervisor. Every one is answered with an error
 * the protocol knows, a valid reply or a close code a client can act on, and the kit stays up.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CloseCode, PROTOCOL_VERSION } from '@proctorkit/core/protocol';
import { fieldPaths, validClientMessages, type ClientType, type FieldPath, type ValidClientMessages } from '../../../core/test-fixtures/client-messages.js';
import { KitProcess } from '../../test-fixtures/kit-process/kit-process.js';
import {
  OTHER_SECRET,
  SECRET,
  TestClient,
  candidateClaims,
  candidateEvents,
  commandId,
  logAppend,
  signRaw,
  supervisorClaims,
  unsignedToken,
} from '../test-helpers.js';
import { TokenIssuer } from '../tokens.js';

const tokens = new TokenIssuer(SECRET, '1h');

/** Rates far above what the fuzzing sends, so every message reaches the code under test. */
const LIMITS = {
  messagesPerSecond: 100_000,
  messageBurst: 100_000,
  eventsPerMinute: 1_000_000,
  eventBytesPerMinute: 1_000_000_000,
  connectionsPerMinute: 100_000,
};

/** What ws itself closes with for frames that break the WebSocket protocol (e.g. text that is not UTF-8). */
const PROTOCOL_CLOSE_CODES = [1002, 1007];
const HELLO_CLOSE_CODES = new Set([CloseCode.badHello, CloseCode.unauthorized, CloseCode.tooBig, ...PROTOCOL_CLOSE_CODES]);
const SESSION_CLOSE_CODES = new Set([
  1008, // policy violation
  CloseCode.tooBig,
  CloseCode.internalError,
  CloseCode.badHello,
  CloseCode.unauthorized,
  CloseCode.forbidden,
  CloseCode.replaced,
  CloseCode.rateLimited,
  ...PROTOCOL_CLOSE_CODES,
]);

// ---- What the fuzzing sends --------------------------------------------------------------


/**
 * What to put in a field, as a description so a counterexample prints short: any JSON (with keys
 * such as `__proto__`), a long string, nesting (spliced in as text, too deep for `JSON.stringify`),
 * no field at all, or the valid value, so some messages get through and change the session's state.
 */
type Replacement =
  | { json: unknown }
  | { repeat: string; length: number }
  | { depth: number; arrays: boolean }
  | 'missing'
  | 'unchanged';

/** One WebSocket frame to send. */
type Probe =
  | { text: string }
  | { binary: Uint8Array }
  /** Bytes sent as a text frame: mostly not UTF-8. */
  | { rawText: Uint8Array }
  | { type: ClientType | 'session.hello'; path: FieldPath; replacement: Replacement };

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'v', 'type', 'id', 'kind', 'data'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Values at the edges of what the schemas allow, and values of other fields. */
const edgeValue = fc.constantFrom(0, -1, 1, 1.5, 600, 601, 1e21, 2 ** 53 + 2, '', ' ', '*', 'phone', 'full', 'approved', 'x'.repeat(65), null, true, [], {});

const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(edgeValue, fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' })).map((json) => ({ json })) },
  { weight: 2, arbitrary: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).map((json) => ({ json })) },
  // Up to a little past the 64 KB a message may have, in characters of one to four bytes.
  {
    weight: 1,
    arbitrary: fc.record({
      repeat: fc.oneof(...(['grapheme-ascii', 'grapheme', 'binary'] as const).map((unit) => fc.string({ unit, minLength: 1, maxLength: 4 }))),
      length: fc.integer({ min: 1000, max: 66_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ depth: fc.integer({ min: 1, max: 10_000 }), arrays: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constantFrom('missing' as const, 'unchanged' as const) },
);

/** A session id and peer of the right shape, standing in until a room's own are known. */
const SOME_ID = '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c';

/** A valid message of every client type, for a session and a supervisor's connection. */
function validMessages(sessionId: string, supervisorPeer: string): ValidClientMessages {
  return validClientMessages(sessionId, supervisorPeer, commandId(), Date.now());
}

/** A message of `type` (a valid one of `examples`) with one field, at any depth, replaced or removed. */
function nearValid<T extends string>(examples: Record<T, object>): fc.Arbitrary<Probe> {
  return fc
    .constantFrom(...(Object.keys(examples) as T[]))
    .chain((type) => fc.record({ type: fc.constant(type), path: fc.constantFrom(...fieldPaths(examples[type])), replacement }))
    .map((probe) => probe as Probe);
}

const PLACEHOLDER = '\u0000replaced\u0000';

/** `message` as JSON text, with the field at `path` replaced as `replacement` says. */
function withField(message: object, path: FieldPath, replaced: Replacement): string {
  if (replaced === 'unchanged') return JSON.stringify(message);
  const copy = structuredClone(message) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  if (replaced === 'missing') {
    delete parent[path.at(-1)!];
    return JSON.stringify(copy);
  }
  parent[path.at(-1)!] = PLACEHOLDER;
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), () => replacementText(replaced));
}

function replacementText(replaced: Exclude<Replacement, string>): string {
  if ('json' in replaced) return JSON.stringify(replaced.json) ?? 'null';
  if ('repeat' in replaced) return JSON.stringify(replaced.repeat.repeat(Math.ceil(replaced.length / replaced.repeat.length)).slice(0, replaced.length));
  return nestedJson(replaced.depth, replaced.arrays);
}

function nestedJson(depth: number, arrays: boolean): string {
  return arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Frames no schema is needed to make: any text, any JSON, binary, bytes that are not UTF-8, deep nesting. */
const garbage: fc.Arbitrary<Probe> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2000 }).map((text) => ({ text })),
  fc.json({ maxDepth: 6, stringUnit: 'binary' }).map((text) => ({ text })),
  fc.uint8Array({ maxLength: 2000 }).map((binary) => ({ binary })),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ rawText: Uint8Array.of(0xff, ...bytes) })),
  fc.record({ depth: fc.integer({ min: 1, max: 30_000 }), arrays: fc.boolean() }).map(({ depth, arrays }) => ({ text: nestedJson(depth, arrays) })),
);

function send(client: TestClient, probe: Probe, examples: Record<string, object>): void {
  if ('text' in probe) client.send(probe.text);
  else if ('binary' in probe) client.socket.send(probe.binary, { binary: true });
  else if ('rawText' in probe) client.socket.send(probe.rawText, { binary: false });
  else client.send(withField(examples[probe.type]!, probe.path, probe.replacement));
}

/** Tokens the kit must refuse, each broken in another way. */
async function forgedTokens(): Promise<string[]> {
  const claims = candidateClaims('mallory');
  const valid = await tokens.issue(claims);
  const now = Math.floor(Date.now() / 1000);
  return [
    await signRaw({ ...claims }, { secret: OTHER_SECRET }),
    await signRaw({ ...claims }, { alg: 'HS512' }),
    await signRaw({ ...claims }, { exp: now - 60 }),
    await signRaw({ ...claims }, { exp: null }),
    await signRaw({ ...claims }, { nbf: now + 3600 }),
    await signRaw({ ...claims }, { issuer: 'someone-else' }),
    await signRaw({ ...claims }, { audience: 'someone-else' }),
    await signRaw({ ...claims, role: 'admin' }),
    await signRaw({ ...claims, extra: true }),
    await signRaw({ ...supervisorClaims('*'), candidates: 'everyone' }),
    unsignedToken({ ...claims }),
    `${valid.slice(0, -2)}${valid.endsWith('AA') ? 'BB' : 'AA'}`,
    'a.b.c',
    'x'.repeat(8192),
  ];
}

/** A bound in runs and in time, so the file stays fast on a small machine. */
function bounded(numRuns: number, timeLimitMs: number): fc.Parameters<unknown> {
  return { numRuns, plugins: [fc.interruptAfterTimeLimit(timeLimitMs)] };
}

// ---- The room the fuzzing talks to -------------------------------------------------------

/**
 * A candidate and a supervisor of every candidate, joined to the kit. A probe that closed one of
 * them, or ended the candidate's exam, is followed by a fresh one, so every probe meets live pages.
 */
class Room {
  readonly clients: TestClient[] = [];
  candidate!: TestClient;
  supervisor!: TestClient;
  private sessionId = SOME_ID;
  private supervisorPeer = SOME_ID;
  private candidates = 0;

  constructor(private readonly kit: KitProcess) {}

  async ready(): Promise<void> {
    if (!this.supervisor?.isOpen) await this.joinSupervisor();
    if (!this.candidate?.isOpen || this.candidateEnded()) await this.joinCandidate();
  }

  /** Valid messages addressed to this room's session and supervisor. */
  examples(): Record<ClientType, object> {
    return validMessages(this.sessionId, this.supervisorPeer);
  }

  async joinCandidate(): Promise<TestClient> {
    const client = await this.open(await tokens.issue(candidateClaims(`fuzz-${++this.candidates}`)));
    const welcome = await client.next('session.welcome');
    this.sessionId = welcome.session!.sessionId;
    return (this.candidate = client);
  }

  private async joinSupervisor(): Promise<void> {
    const client = await this.open(await tokens.issue(supervisorClaims('*')));
    this.supervisorPeer = (await client.next('session.welcome')).connectionId;
    await client.next('session.list');
    this.supervisor = client;
  }

  private async open(token: string): Promise<TestClient> {
    const client = await TestClient.open(this.kit.wsUrl);
    this.clients.push(client);
    client.hello(token);
    return client;
  }

  private candidateEnded(): boolean {
    return this.candidate.all('session.updated').some((m) => m.session.sessionId === this.sessionId && m.session.clock.endedAt !== null);
  }
}

/** Waits until the server handled everything sent so far; the close event instead if it closed the socket. */
async function answered(client: TestClient): Promise<{ code: number } | undefined> {
  try {
    await client.sync();
    return undefined;
  } catch (error) {
    if (client.isOpen) throw error;
    return client.closeEvent();
  }
}

async function assertStillServing(kit: KitProcess, room: Room): Promise<void> {
  assert.ok(kit.running, 'the kit process is still running');
  assert.ok(await kit.healthy(), 'the kit answers its health route');
  const fresh = await room.joinCandidate();
  fresh.send(logAppend(candidateEvents.log('after.the.fuzzing')));
  await fresh.next('log.ack');
  assert.doesNotMatch(kit.stderr, /\[proctorkit\] error:|process guard/, 'the kit logged no failure');
}

describe('the control channel, fuzzed', () => {
  test('closes every hostile first message with 4400, 4401 or 1009, and stays up', async (t) => {
    const kit = await KitProcess.start(t, { kit: { limits: LIMITS } });
    const forged = await forgedTokens();
    const hello = { v: PROTOCOL_VERSION, type: 'session.hello', token: forged[0]! };
    const helloProbe = fc.oneof(
      garbage,
      nearValid({ 'session.hello': hello }),
      fc.constantFrom(...forged).map((token): Probe => ({ text: JSON.stringify({ ...hello, token }) })),
    );
    await fc.assert(
      fc.asyncProperty(helloProbe, async (probe) => {
        const client = await TestClient.open(kit.wsUrl);
        send(client, probe, { 'session.hello': hello });
        const { code } = await client.closeEvent();
        assert.ok(HELLO_CLOSE_CODES.has(code), `closed with ${code}`);
        assert.deepEqual(client.received, [], 'nothing is sent before a valid hello');
      }),
      bounded(800, 4000),
    );
    await assertStillServing(kit, new Room(kit));
  });

  test('answers every hostile message with an error or a close code, and stays up', async (t) => {
    const kit = await KitProcess.start(t, { kit: { limits: LIMITS } });
    const room = new Room(kit);
    const probe = fc.record({
      from: fc.constantFrom('candidate' as const, 'supervisor' as const),
      probe: fc.oneof({ weight: 1, arbitrary: garbage }, { weight: 3, arbitrary: nearValid(validMessages(SOME_ID, SOME_ID)) }),
    });
    await fc.assert(
      fc.asyncProperty(probe, async ({ from, probe }) => {
        await room.ready();
        const client = room[from];
        const before = room.clients.map((c) => c.received.length);
        send(client, probe, room.examples());
        const closed = await answered(client);
        if (closed) assert.ok(SESSION_CLOSE_CODES.has(closed.code), `closed with ${closed.code}`);
        // Whatever the server sent anyone meanwhile is in the protocol, and no refusal is a failure of the kit's own.
        for (const [index, other] of room.clients.entries()) {
          assert.deepEqual(other.invalid, [], 'every message the server sent is in the protocol (an error with a code of ERROR_CODES)');
          const internal = other.received.slice(before[index]).filter((m) => m.type === 'error' && m.code === 'internal');
          assert.deepEqual(internal, [], 'no message failed inside the kit');
        }
      }),
      bounded(1000, 5000),
    );
    await assertStillServing(kit, room);
  });
});
