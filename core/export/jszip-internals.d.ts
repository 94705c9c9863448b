/**
 * Two modules of jszip 3.10 that its typings do not describe: a file's already-compressed content
 * and the DEFLATE method record. core/export/zip.ts uses them to hand jszip natively deflated bytes.
 */
declare module 'jszip/lib/compressedObject.js' {
  export default class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Uint8Array);
  }
}
declare module 'jszip/lib/compressions.js' {
  export const DEFLATE: { readonly magic: string };
}
