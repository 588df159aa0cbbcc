/**
 * Test helpers that register vitest hooks: imported as `@vigie/testing/vitest`, apart from the
 * main entry, which plain Node scripts (demo, bench) load without vitest.
 */
export * from './redis-namespace';
