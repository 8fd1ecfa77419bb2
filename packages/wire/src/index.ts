/**
 * Byte and word formats that the server, the runtime and the CLI all speak: the SSH wire
 * encoding of keys and certificates, and words for `sh`. Nothing of Pier's is imported here.
 */
export { TruncatedWireData, WireReader, WireWriter } from './ssh-wire.js';
export { shellQuote, shellWord } from './shell-quote.js';
