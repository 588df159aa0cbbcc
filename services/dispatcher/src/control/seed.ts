import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { StructuredLogger } from '@vigie/kafka';
import { parseAgencyDirectory, parseSharingPolicy } from '@vigie/sharing';
import type { ControlView } from './control-view';
import type { ControlWriter } from './control-writer';

export interface SeedFiles {
  readonly agencies: string;
  readonly sharingPolicy: string;
  readonly zoneExists?: (zoneKey: string) => boolean;
}

/**
 * Loads the bootstrap files into control.subscriptions the first time a dispatcher finds them
 * never loaded (no `seed:<name>` marker). From then on the topic is the truth and the files are
 * ignored, so operators' changes through the API are never overwritten by a restart. The marker is
 * written last: a crash half-way loads the whole file again, which is idempotent.
 */
export async function seedOnce(view: ControlView, writer: ControlWriter, files: SeedFiles, log: StructuredLogger): Promise<void> {
  await seedFile(view, writer, 'agencies', files.agencies, log, async (json, author) => {
    const directory = parseAgencyDirectory(json, { zoneExists: files.zoneExists });
    for (const agency of directory.agencies) await writer.put('agency', agency, author);
    for (const subscription of directory.subscriptions) await writer.put('subscription', subscription, author);
    return `${directory.agencies.length} agencies, ${directory.subscriptions.length} subscriptions`;
  });
  await seedFile(view, writer, 'sharing-policy', files.sharingPolicy, log, async (json, author) => {
    const policy = parseSharingPolicy(json);
    for (const community of policy.communities) await writer.put('community', community, author);
    for (const agreement of policy.agreements) await writer.put('agreement', agreement, author);
    await writer.put('redactionPolicy', policy.redaction, author);
    return `${policy.communities.length} communities, ${policy.agreements.length} agreements`;
  });
}

type Loader = (json: unknown, author: { by: string; reason: string }) => Promise<string>;

async function seedFile(view: ControlView, writer: ControlWriter, name: string, path: string, log: StructuredLogger, load: Loader): Promise<void> {
  const marker = view.state.seeded(name);
  if (marker) {
    log.info('control data already seeded', { seed: name, sha256: marker.sha256 });
    return;
  }
  if (!existsSync(path)) {
    log.warn('no bootstrap file; starting without it', { seed: name, path });
    return;
  }
  const bytes = readFileSync(path);
  const author = { by: `seed:${basename(path)}`, reason: `bootstrap from ${path}` };
  const loaded = await load(JSON.parse(bytes.toString('utf8')), author);
  await writer.put('seed', { name, sha256: createHash('sha256').update(bytes).digest('hex') }, author);
  log.info('control data seeded', { seed: name, path, loaded });
}
