export { env } from './env';
export type { ListOptions, NamedSecretsOptions, PathOptions, RangeOptions, StringOptions, UrlOptions } from './env';
export type { PathLoader } from './paths';
export type { CommonOptions, Config, ConfigSpec, CrossCheck, Parsed, Resolved, Spec, ValueOf } from './spec';
export { ConfigError, configErrorOf, loadConfig, maskUrlCredentials, redactConfig } from './load-config';
export type { ConfigProblem, EnvSource } from './load-config';
export { describeConfig } from './describe-config';
export {
  DEFAULT_KAFKA_FETCH_MAX_BYTES,
  DEFAULT_KAFKA_FETCH_MAX_WAIT_MS,
  DEFAULT_KAFKA_FETCH_BUSY_RATE,
  httpSpec,
  kafkaConnectionSpec,
  kafkaFetchSpec,
  LOG_LEVELS,
  logLevelSpec,
  redisSpec,
  SASL_MECHANISMS,
  toKafkaConnection,
} from './connections';
export type {
  HttpConfig,
  KafkaConnection,
  KafkaConnectionConfig,
  KafkaFetchConfig,
  LogLevel,
  LogLevelConfig,
  RedisConfig,
  SaslMechanism,
} from './connections';
export { SERVICE_NODE_FLAGS } from './node-flags';
