import { crc32 } from "node:zlib";

/**
 * Shard file layout (docs/format.md): a part's ciphertext is cut into stripe blocks of `blockSize`
 * bytes (the last one shorter); each block is split into k data shards of ceil(len/k) bytes and m
 * parity shards. Shard file i is the concatenation, for every block, of shard i's bytes followed by
 * their CRC32 (4 bytes, big-endian). Any block can thus be located and verified on its own.
 */
export const BLOCK_CHECKSUM_BYTES = 4;

export interface BlockLayout {
  blockSize: number;
  dataShards: number;
  cipherSize: number;
  blocks: number;
}

export function blockLayout(cipherSize: number, blockSize: number, dataShards: number): BlockLayout {
  return { blockSize, dataShards, cipherSize, blocks: Math.ceil(cipherSize / blockSize) };
}

export function blockDataLength(l: BlockLayout, block: number): number {
  return Math.min(l.blockSize, l.cipherSize - block * l.blockSize);
}

export function shardLengthFor(blockDataLen: number, dataShards: number): number {
  return Math.ceil(blockDataLen / dataShards);
}

/** Offset and length (with checksum) of block `block` inside any shard file of the part. */
export function shardBlockSpan(l: BlockLayout, block: number): { offset: number; length: number } {
  const full = shardLengthFor(l.blockSize, l.dataShards) + BLOCK_CHECKSUM_BYTES;
  return {
    offset: block * full,
    length: shardLengthFor(blockDataLength(l, block), l.dataShards) + BLOCK_CHECKSUM_BYTES,
  };
}

export function shardFileSize(l: BlockLayout): number {
  if (l.blocks === 0) return 0;
  const last = shardBlockSpan(l, l.blocks - 1);
  return last.offset + last.length;
}

/**
 * The default stripe block size for k data shards: about 1 MiB, such that a framed shard block (shard
 * plus checksum) is a whole number of DIRECT_IO_ALIGNMENT units, so shard files are written around the
 * page cache (stripe-writer.ts). Each object records its own blockSize: older 1 MiB objects still read.
 */
export function defaultBlockSize(dataShards: number, alignment: number): number {
  const framed = shardLengthFor(1 << 20, dataShards) + BLOCK_CHECKSUM_BYTES;
  const aligned = Math.max(1, Math.round(framed / alignment)) * alignment;
  return dataShards * (aligned - BLOCK_CHECKSUM_BYTES);
}

/** Frame the shard at buf[at, at + length) in place: its checksum goes in the 4 bytes after it. */
export function frameShardInPlace(buf: Buffer, at: number, length: number): void {
  buf.writeUInt32BE(crc32(buf.subarray(at, at + length)), at + length);
}

export function blockChecksum(shard: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(BLOCK_CHECKSUM_BYTES);
  b.writeUInt32BE(crc32(shard), 0);
  return b;
}

/** Verify a framed shard block; returns the shard bytes or null when corrupt (bitrot → treated as lost). */
export function verifyShardBlock(framed: Buffer, expectedShardLength: number): Buffer | null {
  if (framed.length !== expectedShardLength + BLOCK_CHECKSUM_BYTES) return null;
  const data = framed.subarray(0, expectedShardLength);
  return crc32(data) === framed.readUInt32BE(expectedShardLength) ? data : null;
}
