import type { RedisClient } from './redis-connection';

/** Told of every reply: the command's name (`evalsha` for scripts) and its round trip in seconds. */
export type RoundTripListener = (command: string, seconds: number) => void;

type Command = Parameters<RedisClient['sendCommand']>[0];

/**
 * Times every command the client sends, pipelined ones included (ioredis routes them all through
 * sendCommand), from sending to its reply or error. A command sent again from the offline queue
 * after a reconnect is timed once, from its first send: the wait is part of what callers felt.
 */
export function observeRoundTrips(redis: RedisClient, listener: RoundTripListener): void {
  const send = redis.sendCommand.bind(redis);
  const timed = new WeakSet<Command>();
  redis.sendCommand = ((command: Command, stream?: Parameters<RedisClient['sendCommand']>[1]) => {
    if (!timed.has(command)) {
      timed.add(command);
      const started = process.hrtime.bigint();
      const done = (): void => listener(command.name.toLowerCase(), Number(process.hrtime.bigint() - started) / 1e9);
      command.promise.then(done, done);
    }
    return send(command, stream);
  }) as RedisClient['sendCommand'];
}
