import { describe, expect, it } from 'vitest';
import { describeConfig } from './describe-config';
import { env } from './env';

describe('describeConfig', () => {
  it('renders a Markdown row per variable, hiding secret defaults and escaping pipes', () => {
    const table = describeConfig({
      PORT: env.int({ description: 'HTTP port', default: 8080, min: 0, max: 65535 }),
      MODE: env.enumOf(['a', 'b'], { description: 'Mode' }),
      TOKEN: env.secret({ description: 'Token', default: 'do-not-print' }),
      USER: env.string({ description: 'User', optional: true, example: 'ops' }),
    });
    expect(table.split('\n')).toEqual([
      '| Variable | Accepts | Default | Description | Example |',
      '| --- | --- | --- | --- | --- |',
      '| `PORT` | integer 0..65535 | `8080` | HTTP port | `8080` |',
      '| `MODE` | one of: a \\| b | (required) | Mode | `a` |',
      '| `TOKEN` | secret | (set) | Token | `<secret>` |',
      '| `USER` | string | (optional) | User | `ops` |',
    ]);
  });
});
