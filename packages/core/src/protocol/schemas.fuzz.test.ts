/**
 * Property-based fuzzing of the protocol's schemas and of `parseJson`: whatever a hostile client
 * sends, validating it gives an answer (a value or a one-line refusal) and never throws.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type * as v from 'valibot';
import * as protocol from './index.js';
import { fieldPaths, validClientMessages, type FieldPath } from '../../test-fixtures/client-messages.js';
import { MAX_JSON_DEPTH, parse, parseJson } from './index.js';

/** Every valibot schema the protocol exports, so a new schema is fuzzed without a change here. */
const SCHEMAS = Object.entries(protocol as Record<string, unknown>).filter(
  (entry): entry is [string, v.GenericSchema] => (entry[1] as { kind?: unknown } | null)?.kind === 'schema',
);

const SESSION_ID = '0b6f7c1e-8a53-4f0e-9d6b-2f1c3e4a5b6c';
const PEER = 'd2c1b0a9-8f7e-4d6c-9b5a-493827161504';
const COMMAND_ID = 'cmd-000001';

/** A valid message of every client message type. */
const VALID = validClientMessages(SESSION_ID, PEER, COMMAND_ID, 1_700_000_000_000);

/** Keys that reach for a prototype or shadow a method, and keys the schemas dispatch on. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty'),
  fc.constantFrom('v', 'type', 'kind', 'role', 'verdict', 'state', 'name', 'data', 'token', 'id'),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

/** A string of 1 KB to 200 KB, built by repetition (generating it character by character is slow). */
const longString = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.integer({ min: 1024, max: 200_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Arrays and objects nested up to 5,000 levels, built in a loop so no recursion is needed to make them. */
const deeplyNested = fc
  .record({ depth: fc.integer({ min: 1, max: 5000 }), shape: fc.array(fc.constantFrom('array', 'object', 'null-prototype'), { minLength: 1, maxLength: 4 }), key: hostileKey })
  .map(({ depth, shape, key }) => {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level++) {
      const kind = shape[level % shape.length];
      if (kind === 'array') value = [value];
      else {
        const object: Record<string, unknown> = kind === 'object' ? {} : Object.create(null);
        // defineProperty, so `__proto__` becomes an own key as JSON.parse makes it, not the prototype.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        value = object;
      }
    }
    // fast-check prints a counterexample by recursion: describe this one instead.
    Object.defineProperty(value, fc.toStringMethod, { value: () => `<${depth} levels of ${shape.join(', ')} under ${JSON.stringify(key)}>` });
    return value;
  });

const anything = fc.anything({
  depthSize: 'medium',
  maxDepth: 16,
  maxKeys: 10,
  key: hostileKey,
  stringUnit: 'binary',
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
});

/** An object whose prototype carries hostile keys, as `Object.create` makes it. */
const hostilePrototype = fc
  .tuple(fc.dictionary(hostileKey, anything, { maxKeys: 4 }), fc.dictionary(hostileKey, anything, { maxKeys: 4 }))
  .map(([prototype, own]) => {
    const object = Object.assign(Object.create(prototype) as object, own);
    Object.defineProperty(object, fc.toStringMethod, { value: () => `Object.assign(Object.create(${fc.stringify(prototype)}), ${fc.stringify(own)})` });
    return object;
  });

const hostile = fc.oneof(anything, hostilePrototype, longString, deeplyNested);

/** Removes the field instead of replacing it. */
const MISSING = Symbol('missing');

/** A copy of `message` with the field at `path` replaced by `value` (or removed). */
function withField(message: object, path: FieldPath, value: unknown): unknown {
  const copy = structuredClone(message) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === MISSING) delete parent[last];
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A valid client message with one field, at any depth, replaced by a hostile value or removed. */
const nearValid = fc
  .constantFrom(...Object.values(VALID))
  .chain((message) => fc.tuple(fc.constant(message), fc.constantFrom(...fieldPaths(message)), fc.oneof(hostile, fc.constant(MISSING))))
  .map(([message, path, value]) => withField(message, path, value));

/** Asserts that every schema answers `value` with a value or a refusal that says why, and never throws. */
function assertEverySchemaAnswers(value: unknown): void {
  for (const [name, schema] of SCHEMAS) {
    let result: protocol.Parsed<unknown>;
    try {
      result = parse(schema, value);
    } catch (error) {
      assert.fail(`${name} threw ${String(error)}`);
    }
    if (result.ok === true) continue;
    assert.equal(result.ok, false, `${name} answers ok: true or ok: false`);
    assert.equal(typeof result.message, 'string', `${name} gives a message`);
    assert.ok(result.message.length > 0, `${name} says why it refused`);
  }
}

/** Bounds a property in time as well as in runs, so the file stays fast on a small machine. */
function bounded(numRuns: number, timeLimitMs = 2000): fc.Parameters<unknown> {
  return { numRuns, plugins: [fc.interruptAfterTimeLimit(timeLimitMs)] };
}

describe('every protocol schema, fed hostile values', () => {
  test('finds the exported schemas, and a valid message of every client type', () => {
    assert.ok(SCHEMAS.length > 40, `found ${SCHEMAS.length} schemas`);
    assert.ok(SCHEMAS.some(([name]) => name === 'ClientMessageSchema'));
    for (const message of Object.values(VALID)) assert.deepEqual(parse(protocol.ClientMessageSchema, message), { ok: true, value: message });
    assert.deepEqual(new Set(Object.keys(VALID)), protocol.CLIENT_MESSAGE_TYPES);
  });

  test('answers any value, with odd prototypes, boxed values, maps, sets, typed and sparse arrays', () => {
    fc.assert(fc.property(fc.oneof(anything, hostilePrototype), assertEverySchemaAnswers), bounded(2000));
  });

  test('answers strings of up to 200 KB', () => {
    fc.assert(fc.property(longString, assertEverySchemaAnswers), bounded(50));
  });

  test('answers values nested up to 5,000 levels deep', () => {
    fc.assert(fc.property(deeplyNested, assertEverySchemaAnswers), bounded(300));
  });

  test('answers a valid client message with any one field replaced by a hostile value or removed', () => {
    fc.assert(fc.property(nearValid, assertEverySchemaAnswers), bounded(2000, 3000));
  });
});

/** Arrays and objects nested `depth` levels around `leaf`, as JSON text. */
function nestedJson(depth: number, shape: boolean[], leaf: string): string {
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    const array = shape[level % shape.length];
    open += array ? '[' : '{"a":';
    close = (array ? ']' : '}') + close;
  }
  return open + leaf + close;
}

function assertAnswers(text: string): protocol.Parsed<unknown> {
  let result: protocol.Parsed<unknown>;
  try {
    result = parseJson(text);
  } catch (error) {
    assert.fail(`parseJson threw ${String(error)}`);
  }
  if (!result.ok) assert.ok(typeof result.message === 'string' && result.message.length > 0, 'a refusal says why');
  return result;
}

describe('parseJson, fed hostile text', () => {
  test('answers any string, and accepts what JSON.parse accepts within the depth bound', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const result = assertAnswers(text);
        if (result.ok) assert.deepEqual(result.value, JSON.parse(text));
      }),
      bounded(500),
    );
  });

  test('accepts any JSON that nests no deeper than the bound, as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 8, stringUnit: 'binary' }), (text) => {
        assert.deepEqual(assertAnswers(text), { ok: true, value: JSON.parse(text) });
      }),
      bounded(500),
    );
  });

  test('answers any soup of brackets, quotes and commas', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"a":', '"', ':', ',', '1', 'null', ' ', '\\');
    fc.assert(fc.property(fc.string({ unit: piece, maxLength: 5000 }), (text) => void assertAnswers(text)), bounded(300));
  });

  test(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels, up to 5,000`, () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 2 * MAX_JSON_DEPTH }), fc.integer({ min: 0, max: 5000 })),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('1', '"x"', 'null', '[]', '{}'),
        (depth, shape, leaf) => {
          const result = assertAnswers(nestedJson(depth, shape, leaf));
          const leafDepth = leaf === '[]' || leaf === '{}' ? 1 : 0;
          if (depth + leafDepth <= MAX_JSON_DEPTH) assert.equal(result.ok, true, `depth ${depth + leafDepth} is accepted`);
          else assert.deepEqual(result, { ok: false, message: `JSON nests deeper than ${MAX_JSON_DEPTH} levels.` });
        },
      ),
      bounded(300),
    );
  });
});
