import { parseArgs } from 'node:util';
import { ConfigError } from '@vigie/config';
import { CliError, createCliContext } from './cli-context';
import { alertsTailCommand } from './commands/alerts-tail';
import { feedPublishCommand } from './commands/feed-publish';

const USAGE = `vigie — command-line tool of the Vigie early-warning pipeline

Usage:
  vigie feed publish --feed <feedId> [--no-validate] FILE.ndjson
      Validates JSON lines (one incident report per line), encodes them as Avro and publishes
      them to the feed's topic (feeds.<country>.incidents). Prints rejected lines with reasons.
      --no-validate  also publish invalid lines, as raw JSON, for the pipeline to reject
  vigie alerts tail --agency <agencyId> [--from-beginning] [--json] [--lang fr|en] [--max N] [--idle-timeout SECONDS]
      Prints the alerts delivered to an agency's topic (alerts.agency.<agencyId>).

Environment: KAFKA_BROKERS (default 127.0.0.1:19092), KAFKA_SSL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      feed: { type: 'string' },
      'no-validate': { type: 'boolean', default: false },
      agency: { type: 'string' },
      'from-beginning': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'en' },
      max: { type: 'string' },
      'idle-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [group, action, ...rest] = positionals;
  if (values.help || !group) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const command = `${group} ${action ?? ''}`.trim();
  switch (command) {
    case 'feed publish': {
      if (!values.feed) throw new CliError('feed publish needs --feed <feedId>', 2);
      if (rest.length !== 1) throw new CliError('feed publish needs exactly one FILE.ndjson', 2);
      return feedPublishCommand(createCliContext(), rest[0] as string, { feedId: values.feed, skipValidation: values['no-validate'] === true, now: Date.now() });
    }
    case 'alerts tail': {
      if (!values.agency) throw new CliError('alerts tail needs --agency <agencyId>', 2);
      if (values.lang !== 'fr' && values.lang !== 'en') throw new CliError('--lang must be fr or en', 2);
      const positive = (name: string, text: string | undefined): number | undefined => {
        if (text === undefined) return undefined;
        const n = Number(text);
        if (!Number.isInteger(n) || n <= 0) throw new CliError(`--${name} must be a positive whole number`, 2);
        return n;
      };
      const idle = positive('idle-timeout', values['idle-timeout']);
      return alertsTailCommand(createCliContext(), {
        agencyId: values.agency,
        fromBeginning: values['from-beginning'] === true,
        format: values.json ? 'json' : 'text',
        lang: values.lang,
        maxMessages: positive('max', values.max),
        idleTimeoutMs: idle === undefined ? undefined : idle * 1000,
      });
    }
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`vigie: ${error.message}\n`);
      process.exit(error instanceof CliError ? error.exitCode : 2);
    }
    process.stderr.write(`vigie: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
