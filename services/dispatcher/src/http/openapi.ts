import { ALERT_LEVELS, TLP_LEVELS, ZONE_KINDS } from '@vigie/contracts';
import { KEEPABLE_FIELDS, SHAREABLE_TLPS } from '@vigie/sharing';

/**
 * The control API described as OpenAPI 3.1, written by hand from the same constants the
 * validators use (levels, markings, keepable fields), and served at GET /openapi.json. A unit test
 * checks that every route the controllers declare is documented here, and nothing else.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const strings = (description: string, pattern?: string) => ({ type: 'array', items: { type: 'string', ...(pattern ? { pattern } : {}) }, description });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, schema?: object) => ({ description, ...(schema ? json(schema) : {}) });
const ERRORS = {
  '400': ok('Invalid: `problems` says what is wrong, field by field', ref('Error')),
  '401': ok('Missing or unknown operator token', ref('Error')),
  '503': ok('Control API disabled (CONTROL_API_TOKENS unset) or Kafka unreachable', ref('Error')),
};
const READ_ERRORS = { '401': ERRORS['401'], '503': ERRORS['503'] };
const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const REASON = { name: 'X-Vigie-Reason', in: 'header', required: false, schema: { type: 'string' }, description: 'Why: kept in the audit trail with the change' };

/** GET one, PUT (create or replace), DELETE, for an entity under `/v1/...{id}`. */
function entityPaths(schema: string, id: string, what: string, deleteNote = '') {
  return {
    get: { summary: `One ${what}`, parameters: [pathId(id, `${what} id`)], responses: { '200': ok(`The ${what}`, ref(schema)), '404': ok(`No such ${what}`, ref('Error')), ...READ_ERRORS } },
    put: {
      summary: `Create or replace a ${what}`,
      description: 'Written to its control topic and to control.audit; every dispatcher instance applies it live.',
      parameters: [pathId(id, `${what} id (a body id, if given, must be the same)`), REASON],
      requestBody: { required: true, ...json(ref(schema)) },
      responses: { '200': ok('Replaced', ref(schema)), '201': ok('Created', ref(schema)), ...ERRORS },
    },
    delete: {
      summary: `Delete a ${what}${deleteNote}`,
      parameters: [pathId(id, `${what} id`), REASON],
      responses: { '204': ok('Deleted'), '404': ok(`No such ${what}`, ref('Error')), '409': ok('Still referenced', ref('Error')), ...READ_ERRORS },
    },
  };
}

const listOf = (field: string, schema: string, summary: string, parameters: object[] = []) => ({
  get: { summary, parameters, responses: { '200': ok(summary, { type: 'object', properties: { [field]: { type: 'array', items: ref(schema) } } }), ...READ_ERRORS } },
});

const changed = { type: 'object', readOnly: true, description: 'Last change: when, by which operator (or seed:<file>, dispatcher), why', properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string' }, reason: { type: ['string', 'null'] } } };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Vigie dispatcher control API',
    version: '1',
    description:
      'Agencies, subscriptions, the sharing policy, silences and acknowledgements. Stored in the compacted Kafka topics control.subscriptions and control.lifecycle, every change also appended to control.audit. Authenticate with `Authorization: Bearer <operator token>`.',
  },
  components: {
    securitySchemes: { operator: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'string', description: 'Stable code, e.g. SUBSCRIPTION_INVALID' }, message: { type: 'string' }, problems: strings('One line per problem: `<field path>: <what is wrong>`') } },
      Agency: {
        type: 'object',
        required: ['name', 'country', 'languages'],
        properties: {
          agencyId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
          name: { type: 'string' },
          country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2; the sharing policy decides by country' },
          languages: strings('ISO 639-1 codes, preferred first (at least one)', '^[a-z]{2}$'),
          deliveryTopic: { type: 'string', readOnly: true, description: 'alerts.agency.<agencyId>, created with the agency' },
          changed,
        },
      },
      Subscription: {
        type: 'object',
        required: ['agencyId', 'minLevel'],
        description: 'Every non-empty filter must match; an omitted or empty filter matches anything.',
        properties: {
          subscriptionId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,127}$' },
          agencyId: { type: 'string', description: 'An existing agency' },
          countries: strings("At least one of the alert zone's countries", '^[A-Z]{2}$'),
          zones: strings(`Zone keys <kind>:<id>, kind one of ${ZONE_KINDS.join(', ')}, known to the geography reference (border sections, hotspots, routes, countries)`),
          categories: strings('Taxonomy categories, e.g. SMUGGLING'),
          minLevel: { enum: [...ALERT_LEVELS] },
          changed,
        },
      },
      Community: {
        type: 'object',
        required: ['name', 'countries', 'maxTlp'],
        properties: { communityId: { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' }, name: { type: 'string' }, countries: strings('At least two member countries'), maxTlp: { enum: [...SHAREABLE_TLPS] }, changed },
      },
      Agreement: {
        type: 'object',
        required: ['name', 'countries', 'maxTlp'],
        properties: { agreementId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }, name: { type: 'string' }, countries: { ...strings('Exactly two countries'), minItems: 2, maxItems: 2 }, maxTlp: { enum: [...SHAREABLE_TLPS] }, changed },
      },
      RedactionPolicy: {
        type: 'object',
        description: 'What an agency not entitled to the details receives. alertId, version, status, zone, level and tlp are always kept; event ids, source countries, originators, explanation and summary never.',
        properties: {
          keep: { type: 'array', items: { enum: [...KEEPABLE_FIELDS] } },
          withholdFactFor: { type: 'array', items: { enum: TLP_LEVELS.filter((t) => t !== 'CLEAR') }, description: 'Markings for which not even the fact of the alert is shared' },
          changed,
        },
      },
      Silence: {
        type: 'object',
        required: ['endsAt'],
        description: 'Holds back deliveries of alerts of a zone and/or a rule; what it held is released when it ends or is deleted. At most 31 days.',
        properties: {
          silenceId: { type: 'string', description: 'Generated when omitted' },
          zone: { type: ['string', 'null'], description: 'Zone key; null = any zone' },
          ruleId: { type: ['string', 'null'], description: 'Rule id; null = any rule (zone or ruleId is required)' },
          startsAt: { type: 'string', format: 'date-time', description: 'Default: now' },
          endsAt: { type: 'string', format: 'date-time' },
          comment: { type: 'string' },
          changed,
        },
      },
      Acknowledgement: {
        type: 'object',
        required: ['version'],
        description: 'Holds back later versions that do not raise the level; re-armed (deleted) when the alert resolves or fires again.',
        properties: { alertId: { type: 'string', readOnly: true }, version: { type: 'integer', minimum: 1, description: 'The version acknowledged' }, comment: { type: 'string' }, changed },
      },
      AuditEntry: {
        type: 'object',
        properties: { key: { type: 'string' }, action: { enum: ['PUT', 'DELETE'] }, at: { type: 'string', format: 'date-time' }, by: { type: 'string' }, reason: { type: ['string', 'null'] }, kind: { type: 'string' }, entity: { type: 'object' } },
      },
    },
  },
  security: [{ operator: [] }],
  paths: {
    '/v1/agencies': listOf('agencies', 'Agency', 'All agencies'),
    '/v1/agencies/{agencyId}': entityPaths('Agency', 'agencyId', 'agency', ' (refused while it has subscriptions)'),
    '/v1/subscriptions': listOf('subscriptions', 'Subscription', 'All subscriptions', [{ name: 'agencyId', in: 'query', required: false, schema: { type: 'string' } }]),
    '/v1/subscriptions/{subscriptionId}': entityPaths('Subscription', 'subscriptionId', 'subscription'),
    '/v1/policy': {
      get: {
        summary: 'The sharing policy',
        responses: {
          '200': ok('Communities, agreements, redaction', { type: 'object', properties: { communities: { type: 'array', items: ref('Community') }, agreements: { type: 'array', items: ref('Agreement') }, redaction: ref('RedactionPolicy') } }),
          ...READ_ERRORS,
        },
      },
    },
    '/v1/policy/communities/{communityId}': (({ put, delete: del }) => ({ put, delete: del }))(entityPaths('Community', 'communityId', 'community')),
    '/v1/policy/agreements/{agreementId}': (({ put, delete: del }) => ({ put, delete: del }))(entityPaths('Agreement', 'agreementId', 'agreement')),
    '/v1/policy/redaction': {
      put: { summary: 'Replace what a redacted alert keeps', parameters: [REASON], requestBody: { required: true, ...json(ref('RedactionPolicy')) }, responses: { '200': ok('Replaced', ref('RedactionPolicy')), ...ERRORS } },
    },
    '/v1/silences': {
      ...listOf('silences', 'Silence', 'All silences (expired ones included)', [{ name: 'active', in: 'query', required: false, schema: { enum: ['true'] }, description: 'Only those in force now' }]),
      post: { summary: 'Silence a zone and/or a rule', parameters: [REASON], requestBody: { required: true, ...json(ref('Silence')) }, responses: { '201': ok('Created', ref('Silence')), '409': ok('Id taken', ref('Error')), ...ERRORS } },
    },
    '/v1/silences/{silenceId}': (({ get, delete: del }) => ({ get, delete: { ...del, summary: 'End a silence now (what it held is released)' } }))(entityPaths('Silence', 'silenceId', 'silence')),
    '/v1/acknowledgements': listOf('acknowledgements', 'Acknowledgement', 'Acknowledgements in force'),
    '/v1/alerts/{alertId}/acknowledgement': (({ put, delete: del }) => ({ put: { ...put, summary: 'Acknowledge an alert' }, delete: { ...del, summary: 'Withdraw an acknowledgement' } }))(
      entityPaths('Acknowledgement', 'alertId', 'acknowledgement'),
    ),
    '/v1/audit': {
      get: {
        summary: 'The audit trail of control changes, oldest first',
        parameters: [
          { name: 'key', in: 'query', required: false, schema: { type: 'string' }, description: 'Key prefix, e.g. subscription: or silence:op-1' },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 100, maximum: 10000 }, description: 'The last N entries' },
        ],
        responses: { '200': ok('Entries', { type: 'object', properties: { entries: { type: 'array', items: ref('AuditEntry') } } }), ...READ_ERRORS },
      },
    },
  },
} as const;
