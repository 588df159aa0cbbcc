import { configErrorOf } from '@vigie/config';
import { describe, expect, it } from 'vitest';
import { ingestConfigSpec } from './ingest.config';

/** The problem lines of the configuration error (its first line is the heading). */
const problems = (source: Record<string, string>): string[] => configErrorOf(ingestConfigSpec, source)?.message.split('\n').slice(1) ?? [];

describe('ingest configuration', () => {
  it('accepts the shipped feeds file and feedId=token pairs', () => {
    expect(problems({ INGEST_FEED_TOKENS: 'ml-police=s3cret,sn-police=other' })).toEqual([]);
  });

  it('reports an unusable FEEDS_FILE and malformed INGEST_FEED_TOKENS at startup, one line each, naming the variable', () => {
    const lines = problems({ FEEDS_FILE: '/nonexistent/feeds.json', INGEST_FEED_TOKENS: 'garbage' });
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('FEEDS_FILE'))).toContain('"/nonexistent/feeds.json" does not exist');
    expect(lines.find((l) => l.includes('INGEST_FEED_TOKENS'))).toContain('not name=secret');
    expect(lines.join('\n')).not.toContain('garbage');
  });

  it('refuses a feeds file that is not a feed registry', () => {
    expect(problems({ FEEDS_FILE: 'deploy/config/rules.json' })).toEqual([expect.stringContaining('FEEDS_FILE "deploy/config/rules.json" (relative to')]);
  });
});
