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

export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  string(): Buffer {
    if (this.offset + 4 > this.buffer.length) throw new Error('truncated SSH data');
    const length = this.buffer.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.buffer.length) throw new Error('truncated SSH data');
    this.offset = start + length;
    return this.buffer.subarray(start, start + length);
  }

  text(): string {
    return this.string().toString('utf8');
  }

  uint64(): bigint {
    if (this.offset + 8 > this.buffer.length) throw new Error('truncated SSH data');
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  raw(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw new Error('truncated SSH data');
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
}
