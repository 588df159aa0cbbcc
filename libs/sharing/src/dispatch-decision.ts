import type { Acknowledgement, Agency, RegionalAlert, Silence, Subscription } from '@vigie/contracts';
import { acknowledgementEffect } from './acknowledgements';
import type { AgencyDirectory } from './agency-directory';
import { redact } from './redaction';
import { entitlement, type SharingPolicy } from './sharing-policy';
import { activeSilencesFor } from './silences';
import { matchSubscriptions, mostSpecificPerAgency, type MatchKind } from './subscription-matching';

/** Everything the dispatcher knows when an alert version arrives (the materialised control topics, the clock). */
export interface DispatchContext {
  readonly directory: AgencyDirectory;
  readonly policy: SharingPolicy;
  readonly silences: readonly Silence[];
  readonly acknowledgement: (alertId: string) => Acknowledgement | undefined;
  readonly now: number;
}

/** One agency's copy of an alert version, as the policy entitles it. */
export interface PlannedDelivery {
  readonly agency: Agency;
  /** The subscription that matched (the agency's most specific one). */
  readonly subscription: Subscription;
  /** News, or a follow-up owed only to an agency told of the alert before (see subscription-matching.ts). */
  readonly match: MatchKind;
  readonly redacted: boolean;
  readonly alert: RegionalAlert;
  readonly redactedFields: readonly string[];
}

export type HeldBy = { readonly silenceIds: readonly string[] } | { readonly acknowledgedVersion: number };

export interface DispatchDecision {
  readonly deliveries: readonly PlannedDelivery[];
  /** Set when the version is held back; deliveries is then empty. */
  readonly heldBy?: HeldBy;
  /** The acknowledgement to re-arm (delete): the alert resolved, was retracted or fired anew. */
  readonly rearm?: Acknowledgement;
}

/** Agencies by id, made once per directory: the control state makes a new one only after a change. */
const indexes = new WeakMap<readonly Agency[], ReadonlyMap<string, Agency>>();
function agenciesById(agencies: readonly Agency[]): ReadonlyMap<string, Agency> {
  let index = indexes.get(agencies);
  if (index === undefined) indexes.set(agencies, (index = new Map(agencies.map((a) => [a.agencyId, a]))));
  return index;
}

/**
 * Decides what becomes of one alert version: held by an active silence or an acknowledgement, or
 * delivered once to every agency with a matching subscription — in full, redacted, or not at all,
 * as the sharing policy entitles it; a follow-up only if the ledger finds the agency was told of the
 * alert (claimAnswer). Redaction is computed once per version: every agency without
 * the right to the details receives the same withheld view.
 */
export function decideDispatch(alert: RegionalAlert, context: DispatchContext): DispatchDecision {
  const ack = context.acknowledgement(alert.alertId);
  const effect = acknowledgementEffect(alert, ack);
  const rearm = effect === 'rearm' ? ack : undefined;
  const silences = activeSilencesFor(alert, context.silences, context.now);
  if (silences.length > 0) return { deliveries: [], heldBy: { silenceIds: silences.map((s) => s.silenceId) }, rearm };
  if (effect === 'hold') return { deliveries: [], heldBy: { acknowledgedVersion: ack!.version } };

  const agencies = agenciesById(context.directory.agencies);
  let withheld: ReturnType<typeof redact> | undefined;
  const deliveries: PlannedDelivery[] = [];
  for (const { subscription, kind: match } of mostSpecificPerAgency(matchSubscriptions(alert, context.directory.subscriptions))) {
    const agency = agencies.get(subscription.agencyId);
    if (!agency) continue;
    const right = entitlement(alert, agency, context.policy);
    if (right === 'full') deliveries.push({ agency, subscription, match, redacted: false, alert, redactedFields: [] });
    else if (right === 'redacted') {
      withheld ??= redact(alert, context.policy.redaction);
      deliveries.push({ agency, subscription, match, redacted: true, alert: withheld.alert, redactedFields: withheld.redactedFields });
    }
  }
  return { deliveries, rearm };
}
