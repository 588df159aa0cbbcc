import type { WireCodec } from './wire-codec';

/** Encoding and decoding of one message type, as WireCodec does them. */
export type ValueCodec<T> = Pick<WireCodec<T>, 'encode' | 'decode'>;

/**
 * A codec whose encode remembers the bytes of each value object (weakly, so they go with it): a
 * value written to two places, such as an alert version published and kept in the correlator's
 * outbox, is encoded once. Values must not change once encoded, and the bytes are shared: never
 * write into them.
 */
export function encodeOncePerValue<T extends object>(codec: ValueCodec<T>): ValueCodec<T> {
  const encoded = new WeakMap<T, Buffer>();
  return {
    encode: (value) => {
      let bytes = encoded.get(value);
      if (bytes === undefined) encoded.set(value, (bytes = codec.encode(value)));
      return bytes;
    },
    decode: (message) => codec.decode(message),
  };
}
