import { readFile } from 'node:fs/promises';
import { feedCountryOf, feedTopic, formatIssues, parseIncidentJson, type Codecs } from '@vigie/contracts';
import { BatchProducer, type OutboundMessage } from '@vigie/kafka';
import { CliError, explainKafkaError, type CliContext } from '../cli-context';

export interface PublishOptions {
  readonly feedId: string;
  /** Publish lines that fail local validation as raw JSON, so the pipeline's rejection path can be exercised. */
  readonly skipValidation: boolean;
  readonly now: number;
}

export interface LineVerdict {
  readonly line: number;
  readonly eventId?: string;
  readonly problem?: string;
}

export interface PublishSummary {
  readonly topic: string;
  readonly published: number;
  readonly rejected: LineVerdict[];
  readonly sentRaw: number;
}

const PRODUCE_BATCH = 500;

/** Decides, line by line, what to publish: Avro for valid reports, raw JSON only when asked to skip validation. */
export function prepareLines(codecs: Codecs, lines: readonly string[], options: PublishOptions): { topic: string; messages: OutboundMessage[]; verdicts: LineVerdict[]; sentRaw: number } {
  const country = feedCountryOf(options.feedId);
  if (!country) throw new CliError(`--feed "${options.feedId}" is not a feed id: expected <country>-<name>, e.g. ml-police`, 2);
  const topic = feedTopic(country);
  const messages: OutboundMessage[] = [];
  const verdicts: LineVerdict[] = [];
  let sentRaw = 0;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    let problem: string | undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problem = `not valid JSON (${(error as Error).message})`;
    }
    if (!problem) {
      const parsed = parseIncidentJson(json, { now: options.now });
      if (!parsed.ok) problem = formatIssues(parsed.issues);
      else if (parsed.report.feedId !== options.feedId) problem = `feedId: "${parsed.report.feedId}" is not the feed being published (${options.feedId}) [FEED_MISMATCH]`;
      else {
        messages.push({ topic, key: parsed.report.eventId, value: codecs.incidentReport.encode(parsed.report) });
        verdicts.push({ line, eventId: parsed.report.eventId });
        return;
      }
    }
    verdicts.push({ line, problem });
    if (options.skipValidation) {
      messages.push({ topic, key: null, value: Buffer.from(text) });
      sentRaw++;
    }
  });
  return { topic, messages, verdicts, sentRaw };
}

export async function publishLines(ctx: CliContext, lines: readonly string[], options: PublishOptions): Promise<PublishSummary> {
  const { topic, messages, verdicts, sentRaw } = prepareLines(ctx.codecs, lines, options);
  const producer = new BatchProducer(ctx.kafka);
  try {
    await producer.connect();
    for (let i = 0; i < messages.length; i += PRODUCE_BATCH) await producer.send(messages.slice(i, i + PRODUCE_BATCH));
  } catch (error) {
    throw explainKafkaError(error, ctx.brokers);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  const rejected = verdicts.filter((v) => v.problem !== undefined);
  return { topic, published: messages.length - sentRaw, rejected, sentRaw };
}

export async function feedPublishCommand(ctx: CliContext, file: string, options: PublishOptions): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 2);
  }
  const summary = await publishLines(ctx, text.split('\n'), options);
  for (const r of summary.rejected) ctx.err(`line ${r.line}: rejected — ${r.problem}`);
  const raw = summary.sentRaw ? `, ${summary.sentRaw} invalid lines sent as raw JSON (--no-validate)` : '';
  ctx.out(`${summary.published} reports published to ${summary.topic}, ${summary.rejected.length} lines rejected${raw}`);
  return summary.rejected.length > 0 && !options.skipValidation ? 2 : 0;
}
