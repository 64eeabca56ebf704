import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clampPage, gridColumns, pageCount, pageItems } from './paging.js';

test('an empty room still has one page to show', () => {
  assert.equal(pageCount(0, 16), 1);
});

test('17 candidates at 16 per page fill two pages, the second with one', () => {
  const items = Array.from({ length: 17 }, (_, i) => i);
  assert.equal(pageCount(17, 16), 2);
  assert.equal(pageItems(items, 0, 16).length, 16);
  assert.deepEqual(pageItems(items, 1, 16), [16]);
});

test('a page past the end shows the last page', () => {
  assert.equal(clampPage(5, 17, 16), 1);
  assert.equal(clampPage(-1, 17, 16), 0);
  assert.deepEqual(pageItems([1, 2, 3], 9, 2), [3]);
});

test('tiles are laid out as square as possible', () => {
  assert.equal(gridColumns(1), 1);
  assert.equal(gridColumns(3), 2);
  assert.equal(gridColumns(16), 4);
  assert.equal(gridColumns(17), 5);
});
