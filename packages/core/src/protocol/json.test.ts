import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_JSON_DEPTH, jsonDepth, parseJson } from './json.js';

describe('jsonDepth', () => {
  test('counts levels of objects and arrays', () => {
    assert.equal(jsonDepth(1), 0);
    assert.equal(jsonDepth(null), 0);
    assert.equal(jsonDepth({}), 1);
    assert.equal(jsonDepth([1, { a: [2] }]), 3);
  });

  test('measures nesting far deeper than the stack allows recursion', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.equal(jsonDepth(deep), 100_000);
    assert.equal(jsonDepth(deep, 10), 11, 'stops counting once past the limit');
  });
});

describe('parseJson', () => {
  test('parses JSON within the depth bound', () => {
    assert.deepEqual(parseJson('{"a":[1,2]}'), { ok: true, value: { a: [1, 2] } });
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    assert.equal(parseJson(atLimit).ok, true);
  });

  test('refuses text that is not JSON, and nesting past the bound', () => {
    assert.deepEqual(parseJson('{nope'), { ok: false, message: 'Message is not valid JSON.' });
    const deeper = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    assert.deepEqual(parseJson(deeper), { ok: false, message: `JSON nests deeper than ${MAX_JSON_DEPTH} levels.` });
  });
});
