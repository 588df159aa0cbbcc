export * from './errors';
export * from './topics';
export * from './feed-registry';

export * from './incident-report';
export * from './enriched-incident';
export * from './regional-alert';
export * from './alert-delivery';
export * from './control-record';

export * from './countries';
export * from './event-id';
export * from './taxonomy';
export { formatIsoTimestamp, parseIsoTimestamp } from './iso-time';
export * from './validation-issue';
export * from './validate-incident';
export * from './incident-json';

export * from './schema-catalogue';
export * from './compatibility';
export {
  readWireSchemaId, createWireCodec, WIRE_HEADER_BYTES, WIRE_MAGIC_BYTE, DEFAULT_MAX_MESSAGE_BYTES,
  type WireCodec, type WireCodecOptions, type DecodedMessage, type WireProjection, type EncodedFieldEncoder,
  type FieldSelection, type WireSelection,
} from './wire-codec';
export { encodeOncePerValue, type ValueCodec } from './encode-once';
export * from './codecs';
