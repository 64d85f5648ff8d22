/**
 * A minimal protocol-buffers writer for the ONNX messages the course exports. ONNX files are one
 * serialised ModelProto (onnx/onnx.proto, IR version 8); each message is a list of fields, each
 * field a tag — (field number << 3) | wire type — then its value. Only three wire types are needed:
 * 0 (varint: ints, enums), 2 (length-delimited: strings, bytes, nested messages, packed arrays)
 * and 5 (32-bit: a float). No parser: onnxruntime reads what this writes, and tests check it.
 */

/** Bytes of one message under construction. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** A varint: 7 bits per byte, low bits first, high bit set on every byte but the last. Negative ints take 10 bytes (two's complement, 64 bits). */
  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`protobuf varint: ${value} is not a safe integer.`);
    const out: number[] = [];
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint(field * 8 + wireType);
  }

  /** An int32/int64/enum field (wire type 0). */
  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  /** A float field (wire type 5, little-endian IEEE 754). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  /** A bytes field (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  /** A string field: UTF-8 bytes. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message field. */
  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  /** A packed repeated int64 field: one length-delimited run of varints. */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}
