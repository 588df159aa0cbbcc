import { describe, expect, it } from 'vitest';
import { parseAgencyDirectory } from './agency-directory';
import { decideDispatch, type DispatchContext } from './dispatch-decision';
import { SAMPLE_DIRECTORY_JSON, SAMPLE_POLICY_JSON, sampleRegionalAlert } from './sample-data';
import { parseSharingPolicy } from './sharing-policy';
import { SILENCE_CLOCK_SLACK_MS } from './silences';

const NOW = Date.UTC(2025, 2, 14, 10, 0, 5);
const context = (over: Partial<DispatchContext> = {}): DispatchContext => ({
  directory: parseAgencyDirectory(SAMPLE_DIRECTORY_JSON),
  policy: parseSharingPolicy(SAMPLE_POLICY_JSON),
  silences: [],
  acknowledgement: () => undefined,
  now: NOW,
  ...over,
});
// AMBER, HIGH (was MEDIUM), SECTION:ML-SN-003, rule smuggling-threshold, from ml-police-frontieres alone.
const alert = sampleRegionalAlert();
const recipients = (d: ReturnType<typeof decideDispatch>) => Object.fromEntries(d.deliveries.map((x) => [x.agency.agencyId, `${x.subscription.subscriptionId}${x.redacted ? ' (redacted)' : ''}`]));

describe('decideDispatch', () => {
  it('sends one copy per subscribed agency, through its most specific subscription, in full or redacted', () => {
    expect(recipients(decideDispatch(alert, context()))).toEqual({
      'ml-police-frontieres': 'ml-all',
      'ml-douanes': 'ml-douanes-smuggling',
      'bf-gendarmerie': 'bf-region',
      'sn-douanes': 'sn-faleme (redacted)',
      'mr-surete': 'mr-high',
      'gh-immigration': 'gh-all (redacted)',
    });
  });

  it('redacts once: every agency without the right gets the same view, as the policy says', () => {
    const keepNothing = context({ policy: { ...context().policy, redaction: { keep: [], withholdFactFor: [] } } });
    const redacted = decideDispatch(alert, keepNothing).deliveries.filter((d) => d.redacted);
    expect(redacted).toHaveLength(2);
    expect(redacted[0]!.alert).toBe(redacted[1]!.alert);
    expect(redacted[0]!.alert.rule).toEqual({ id: '', kind: '' });
    expect(redacted[0]!.redactedFields).toContain('rule');
  });

  it('leaves out agencies the policy withholds even the fact from', () => {
    const red = sampleRegionalAlert({ tlp: 'RED' });
    const withholdRed = context({ policy: { ...context().policy, redaction: { keep: [], withholdFactFor: ['RED'] } } });
    expect(recipients(decideDispatch(red, withholdRed))).toEqual({ 'ml-police-frontieres': 'ml-all' });
  });

  it('holds a version while a silence covers its zone or rule, and delivers once it ended', () => {
    const silence = { silenceId: 'op-kayes', zone: 'SECTION:ML-SN-003', ruleId: null, startsAt: NOW - 1000, endsAt: NOW + 1000, comment: '' };
    expect(decideDispatch(alert, context({ silences: [silence] }))).toEqual({ deliveries: [], heldBy: { silenceIds: ['op-kayes'] }, rearm: undefined });
    expect(decideDispatch(alert, context({ silences: [silence], now: NOW + 1000 })).deliveries).toHaveLength(6);
  });

  it('holds updates of an acknowledged alert that do not raise its level, and re-arms when it resolves', () => {
    const ack = { alertId: alert.alertId, version: 3, comment: '' };
    const acknowledged = context({ acknowledgement: (id) => (id === alert.alertId ? ack : undefined) });
    expect(decideDispatch(sampleRegionalAlert({ version: 4, level: 'HIGH', previousLevel: 'HIGH' }), acknowledged)).toEqual({ deliveries: [], heldBy: { acknowledgedVersion: 3 } });
    expect(decideDispatch(sampleRegionalAlert({ version: 4, level: 'CRITICAL', previousLevel: 'HIGH' }), acknowledged).deliveries).toHaveLength(6);
    const resolved = decideDispatch(sampleRegionalAlert({ version: 5, status: 'RESOLVED', level: 'HIGH', previousLevel: 'HIGH' }), acknowledged);
    expect(resolved.rearm).toEqual(ack);
    expect(resolved.deliveries).toHaveLength(6);
  });

  it('does not hold a version evaluated before a silence began (a dispatcher catching up): its release would never find it', () => {
    const evaluated = NOW - 2 * SILENCE_CLOCK_SLACK_MS;
    const behind = sampleRegionalAlert({ evaluatedAt: evaluated });
    const startingAfter = (ms: number) => ({ silenceId: 'op', zone: 'SECTION:ML-SN-003', ruleId: null, startsAt: evaluated + ms, endsAt: NOW + 1000, comment: '' });
    // Within the clock slack of the start: held, and released when the silence ends.
    expect(decideDispatch(behind, context({ silences: [startingAfter(SILENCE_CLOCK_SLACK_MS)] })).heldBy).toEqual({ silenceIds: ['op'] });
    // Before it: delivered now.
    expect(decideDispatch(behind, context({ silences: [startingAfter(SILENCE_CLOCK_SLACK_MS + 1)] })).deliveries).toHaveLength(6);
  });

  it('re-arms an acknowledgement even when a silence holds the resolution', () => {
    const ack = { alertId: alert.alertId, version: 3, comment: '' };
    const silence = { silenceId: 's', zone: null, ruleId: 'smuggling-threshold', startsAt: 0, endsAt: NOW + 1, comment: '' };
    const decision = decideDispatch(sampleRegionalAlert({ version: 5, status: 'RESOLVED' }), context({ silences: [silence], acknowledgement: () => ack }));
    expect(decision).toEqual({ deliveries: [], heldBy: { silenceIds: ['s'] }, rearm: ack });
  });
});
