/** The SSH wire encoding (RFC 4251 §5) that OpenSSH keys and certificates are made of. */
export class WireWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(value);
    this.parts.push(buffer);
    return this;
  }

  uint64(value: bigint): this {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64BE(value);
    this.parts.push(buffer);
    return this;
  }

  string(value: Buffer | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The data ends before the field being read: callers map it to their own format error. */
export class TruncatedWireData extends Error {
  constructor() {
    super('truncated SSH data');
  }
}

export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  /** A length-prefixed byte string. */
  string(): Buffer {
    const length = this.uint32();
    return this.raw(length);
  }

  /** A length-prefixed byte string, as UTF-8 text. */
  text(): string {
    return this.string().toString('utf8');
  }

  uint32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint64(): bigint {
    this.need(8);
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  raw(length: number): Buffer {
    this.need(length);
    const bytes = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  get position(): number {
    return this.offset;
  }

  get done(): boolean {
    return this.offset === this.buffer.length;
  }

  private need(length: number): void {
    if (this.offset + length > this.buffer.length) throw new TruncatedWireData();
  }
}
