import { parseArgs } from 'node:util';
import { ConfigError } from '@vigie/config';
import { CliError, createCliContext } from './cli-context';
import { alertsTailCommand } from './commands/alerts-tail';
import { alertsExportCommand } from './commands/alerts-export';
import { controlCommand } from './commands/control-commands';
import { feedPublishCommand } from './commands/feed-publish';
import { createControlApi } from './control-api';

const CONTROL_GROUPS = new Set(['agencies', 'subscriptions', 'policy', 'silences', 'audit']);

const USAGE = `vigie — command-line tool of the Vigie early-warning pipeline

Usage:
  vigie feed publish --feed <feedId> [--no-validate] FILE.ndjson
      Validates JSON lines (one incident report per line), encodes them as Avro and publishes
      them to the feed's topic (feeds.<country>.incidents). Prints rejected lines with reasons.
      --no-validate  also publish invalid lines, as raw JSON, for the pipeline to reject
  vigie alerts tail --agency <agencyId> [--from-beginning] [--json] [--lang fr|en] [--max N] [--idle-timeout SECONDS]
      Prints the alerts delivered to an agency's topic (alerts.agency.<agencyId>), a redelivery
      once; of a redacted copy, only what the sharing policy kept.
      --max N  stop after printing N deliveries (a redelivery skipped is not counted)

  vigie alerts export --format cap|json [--agency <agencyId>] (--alert <alertId> | --out DIR) [--sender ID]
      The latest version of an alert (or of every alert, into DIR) as OASIS CAP 1.2 XML: from
      alerts.regional, or as an agency received it (--agency, redacted copies stay redacted).

Control data, through a dispatcher's API (VIGIE_DISPATCHER_URL, VIGIE_API_TOKEN); --reason TEXT is
kept in the audit trail, --json prints the API's answer:
  vigie agencies list | get <id> | delete <id>
  vigie agencies put <id> --name N --country CC --languages fr,en      (or --file agency.json)
  vigie subscriptions list [--agency <agencyId>] | get <id> | delete <id>
  vigie subscriptions put <id> --agency <agencyId> [--countries ML,SN] [--zones HOTSPOT:HS-FALEME,...]
        [--categories SMUGGLING,...] --min-level LOW|MEDIUM|HIGH|CRITICAL    (or --file subscription.json)
  vigie policy show | put-community <ID> --name N --countries .. --max-tlp GREEN|AMBER | delete-community <ID>
  vigie policy put-agreement <id> --name N --countries ML,MR --max-tlp GREEN|AMBER | delete-agreement <id>
  vigie silences list [--active] | delete <id>
  vigie silences add [<id>] (--zone <zoneKey> | --rule <ruleId> | both) (--for 2h | --until ISO) [--comment T]
  vigie alerts ack <alertId> --version N [--comment T] | unack <alertId> | acks
  vigie audit [--key PREFIX] [--limit N]

Environment: KAFKA_BROKERS (default 127.0.0.1:19092), KAFKA_SSL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD;
VIGIE_DISPATCHER_URL (default http://127.0.0.1:8084), VIGIE_API_TOKEN.`;

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
      format: { type: 'string' },
      alert: { type: 'string' },
      out: { type: 'string' },
      sender: { type: 'string', default: 'vigie' },
      reason: { type: 'string' },
      file: { type: 'string' },
      name: { type: 'string' },
      country: { type: 'string' },
      languages: { type: 'string' },
      countries: { type: 'string' },
      zones: { type: 'string' },
      categories: { type: 'string' },
      'min-level': { type: 'string' },
      'max-tlp': { type: 'string' },
      zone: { type: 'string' },
      rule: { type: 'string' },
      for: { type: 'string' },
      until: { type: 'string' },
      comment: { type: 'string' },
      version: { type: 'string' },
      active: { type: 'boolean', default: false },
      key: { type: 'string' },
      limit: { type: 'string' },
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
        maxDeliveries: positive('max', values.max),
        idleTimeoutMs: idle === undefined ? undefined : idle * 1000,
      });
    }
    case 'alerts export': {
      if (values.format !== 'cap' && values.format !== 'json') throw new CliError('alerts export needs --format cap or --format json', 2);
      return alertsExportCommand(createCliContext(), { format: values.format, agencyId: values.agency, alertId: values.alert, outDir: values.out, sender: values.sender ?? 'vigie' });
    }
    default:
      if (CONTROL_GROUPS.has(group) || (group === 'alerts' && ['ack', 'unack', 'acks'].includes(action ?? ''))) {
        const out = (line: string): void => void process.stdout.write(`${line}\n`);
        return controlCommand(createControlApi(), out, group, action ?? '', rest, {
          json: values.json === true,
          reason: values.reason,
          file: values.file,
          name: values.name,
          country: values.country,
          languages: values.languages,
          agency: values.agency,
          countries: values.countries,
          zones: values.zones,
          categories: values.categories,
          minLevel: values['min-level'],
          maxTlp: values['max-tlp'],
          zone: values.zone,
          rule: values.rule,
          for: values.for,
          until: values.until,
          comment: values.comment,
          version: values.version,
          active: values.active === true,
          key: values.key,
          limit: values.limit,
        });
      }
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
