import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * The one file of a fixture zip, read as a stream straight from the disk: the central directory
 * (zip64 included) names it, its bytes are inflated as they are read, so memory does not grow with
 * the entry, whatever it declares. Stored and deflated entries; anything else is an error.
 */
export interface ZipEntry {
  name: string;
  /** The size the archive declares (the reader still counts what really comes out). */
  size: number;
  open(): Readable;
}

const u16 = (b: Buffer, at: number) => b.readUInt16LE(at);
const u32 = (b: Buffer, at: number) => b.readUInt32LE(at);
const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

export function firstZipEntry(path: string): ZipEntry {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) if (u32(tail, i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw new Error('no end of central directory');
    let entries = u16(tail, eocd + 10);
    let cdSize = u32(tail, eocd + 12);
    let cdOffset = u32(tail, eocd + 16);
    if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // Zip64: the locator stands just before the end record and points at the zip64 end record.
      const locator = eocd - 20;
      if (locator < 0 || u32(tail, locator) !== 0x07064b50) throw new Error('a zip64 archive without its locator');
      const record = readAt(fd, u64(tail, locator + 8), 56);
      if (record.length < 56 || u32(record, 0) !== 0x06064b50) throw new Error('a broken zip64 end record');
      entries = u64(record, 32);
      cdSize = u64(record, 40);
      cdOffset = u64(record, 48);
    }
    if (cdOffset + cdSize > size) throw new Error('the central directory lies beyond the end of the file');
    const cd = readAt(fd, cdOffset, cdSize);
    for (let at = 0, n = 0; n < entries && at + 46 <= cd.length; n++) {
      if (u32(cd, at) !== 0x02014b50) throw new Error('a broken central directory');
      const method = u16(cd, at + 10);
      let compressed = u32(cd, at + 20);
      let uncompressed = u32(cd, at + 24);
      const nameLength = u16(cd, at + 28);
      const extraLength = u16(cd, at + 30);
      const commentLength = u16(cd, at + 32);
      let local = u32(cd, at + 42);
      const name = cd.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      // Zip64 sizes and offset, in that order, for the fields that say 0xFFFFFFFF.
      for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
        const id = u16(cd, e);
        const length = u16(cd, e + 2);
        if (id === 0x0001) {
          let f = e + 4;
          if (uncompressed === 0xffffffff) (uncompressed = u64(cd, f)), (f += 8);
          if (compressed === 0xffffffff) (compressed = u64(cd, f)), (f += 8);
          if (local === 0xffffffff) local = u64(cd, f);
        }
        e += 4 + length;
      }
      at += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      if (method !== 0 && method !== 8) throw new Error(`the entry "${name}" is compressed with method ${method}, not deflate`);
      const header = readAt(fd, local, 30);
      if (header.length < 30 || u32(header, 0) !== 0x04034b50) throw new Error('a broken local file header');
      const start = local + 30 + u16(header, 26) + u16(header, 28);
      if (start + compressed > size) throw new Error(`the entry "${name}" lies beyond the end of the file`);
      return {
        name,
        size: uncompressed,
        open() {
          const raw = createReadStream(path, { start, end: start + compressed - 1, highWaterMark: 1 << 16 });
          return method === 0 ? raw : raw.pipe(createInflateRaw());
        },
      };
    }
    throw new Error('the zip archive holds no file');
  } finally {
    closeSync(fd);
  }
}
