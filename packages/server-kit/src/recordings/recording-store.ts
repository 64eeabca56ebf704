import type { Readable } from 'node:stream';

/** An object's size and type. */
export interface StoredObject {
  bytes: number;
  contentType: string;
}

/** Bytes `start` to `end` of an object, both included (as HTTP's `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** What {@link RecordingStore.read} gives: the bytes asked for as a stream, and the whole object's size. */
export interface ObjectRead {
  body: Readable;
  /** How many bytes `body` yields. */
  bytes: number;
  /** The size of the whole object. */
  totalBytes: number;
  contentType: string;
}

/** What a page needs to upload one chunk straight to the object store. */
export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the upload must send exactly as given (the signature covers them). */
  headers: Record<string, string>;
  /** Server time (ms) after which the URL is refused. */
  expiresAt: number;
}

/** What a presigned upload is bound to: its size, its MD5 and its type. */
export interface PresignOptions {
  bytes: number;
  /** The chunk's MD5, base64 (as HTTP's `Content-MD5`). */
  md5: string;
  contentType: string;
  expiresInSeconds: number;
}

/**
 * Where recordings (and, through {@link objectPhotoStore}, identity photos) are kept: a flat space
 * of objects under `/`-separated keys the kit makes from server-checked ids, never from what a
 * client sends unchecked. The kit ships a filesystem store ({@link fileRecordingStore}, the
 * default) and one for any S3 API ({@link s3RecordingStore}); the kit's logic never asks which one
 * it holds. Every write is whole or absent: a reader never sees half an object.
 */
export interface RecordingStore {
  /**
   * Stores `bytes` under `key` unless an object is stored there already. Resolves `'stored'` once
   * the object is durable, or `'exists'` having written nothing.
   */
  putNew(key: string, bytes: Uint8Array, contentType: string): Promise<'stored' | 'exists'>;
  /** Stores the local file at `path` under `key`, replacing what is there (a finished recording). */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  /** The object's size and type, or `undefined`. */
  head(key: string): Promise<StoredObject | undefined>;
  /** The object's bytes (those of `range` when given, which must lie within it), or `undefined`. */
  read(key: string, range?: ByteRange): Promise<ObjectRead | undefined>;
  /** Every object whose key starts with `prefix` (which ends with `/`), in key order, with its size. */
  list(prefix: string): Promise<{ key: string; bytes: number }[]>;
  /** Deletes the object; deleting a missing one is no error. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (which ends with `/`); resolves with how many. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Stores that pages can upload to directly (S3) issue a URL that accepts exactly one chunk: its
   * size, MD5 and type are bound by the signature. Stores without it receive chunks through the kit.
   */
  presignPut?(key: string, options: PresignOptions): Promise<PresignedUpload>;
  /** Releases connections and handles. The kit closes its store. */
  close?(): Promise<void>;
}

/** Keys are `/`-separated segments of letters, digits, `_`, `-` and `.` (never `.` or `..` alone). */
const KEY = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[\w.-]{1,128}(?:\/[\w.-]{1,128}){0,7}$/;
const PREFIX = /^(?!.*(?:^|\/)\.{1,2}\/)(?:[\w.-]{1,128}\/){1,7}$/;

/** Throws unless `key` is a key the stores accept (a bug in the kit otherwise: keys are made, not received). */
export function checkKey(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw new Error(`RecordingStore: ${JSON.stringify(String(key).slice(0, 80))} is not a key.`);
  return key;
}

/** Throws unless `prefix` is a prefix the stores accept: whole segments, ending with `/`. */
export function checkPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) throw new Error(`RecordingStore: ${JSON.stringify(String(prefix).slice(0, 80))} is not a key prefix.`);
  return prefix;
}
