import { checkAgency, type Agency } from './agency';
import { Problems, arrayAt, reportDuplicates } from './problems';
import { checkSubscription, type Subscription, type SubscriptionContext } from './subscription';

/**
 * The agencies that receive alerts and what each subscribed to: the shape of the bootstrap file
 * (deploy/config/agencies.json) loaded once into control.subscriptions, and of a running directory.
 */
export interface AgencyDirectory {
  readonly agencies: readonly Agency[];
  readonly subscriptions: readonly Subscription[];
}

/** Validates the parsed JSON of a directory file; throws `AGENCIES_INVALID` listing every problem. */
export function parseAgencyDirectory(json: unknown, options: Pick<SubscriptionContext, 'zoneExists'> = {}): AgencyDirectory {
  const p = new Problems();
  const root = p.record(json, '', ['agencies', 'subscriptions']);
  const agencies = arrayAt(p, root, 'agencies').map((a, i) => checkAgency(p, a, `agencies[${i}]`));
  reportDuplicates(p, agencies.map((a) => a?.agencyId ?? ''), (i) => `agencies[${i}].agencyId`);

  const agencyIds = new Set(agencies.flatMap((a) => (a ? [a.agencyId] : [])));
  const context: SubscriptionContext = { agencyExists: (id) => agencyIds.has(id), zoneExists: options.zoneExists };
  const subscriptions = arrayAt(p, root, 'subscriptions').map((s, i) => checkSubscription(p, s, context, `subscriptions[${i}]`));
  reportDuplicates(p, subscriptions.map((s) => s?.subscriptionId ?? ''), (i) => `subscriptions[${i}].subscriptionId`);

  return p.result('AGENCIES_INVALID', { agencies: agencies as Agency[], subscriptions: subscriptions as Subscription[] });
}
