import { readFileSync } from 'node:fs';
import { FeedRegistry } from '@vigie/contracts';

/** Reads the file operators edit to list the feeds allowed to publish (FEEDS_FILE). */
export function readFeedsFile(path: string): FeedRegistry {
  return FeedRegistry.fromJson(JSON.parse(readFileSync(path, 'utf8')));
}
