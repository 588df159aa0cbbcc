export * from './kafka-stage.transport';
export * from './metrics-observer';
export * from './redis.module';
export * from './stage.controller';
export * from './stage-service';
export * from './tokens';
