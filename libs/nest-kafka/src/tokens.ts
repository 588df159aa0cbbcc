/** Injection tokens of what every stage service gets from its runtime (see stage-service.ts). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const KAFKA = Symbol('KAFKA');
export const CODECS = Symbol('CODECS');
export const METRICS = Symbol('METRICS');
