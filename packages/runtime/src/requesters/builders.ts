import type { Authenticator } from '../auth/authenticator.js';
import { REQUESTER_URL_BASE } from '../auth/session-token.js';
import type { ErrorHandler } from '../error-handlers/error-handler.js';
import type { BuildContext, Builder, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { ApiBudget } from '../rate-limiting/api-budget.js';
import { HttpRequester, type RequesterDefinition } from './http-requester.js';
import { buildJsonSchemaPropertySelector } from './query-properties/json-schema-property-selector.js';
import { type PropertiesFromEndpoint, buildPropertiesFromEndpoint } from './query-properties/properties-from-endpoint.js';
import { buildGroupByKeyMergeStrategy, buildPropertyChunking } from './query-properties/property-chunking.js';
import { QueryProperties, buildQueryProperties } from './query-properties/query-properties.js';
import { buildRequestOption } from './request-option.js';

const template = (value: unknown, parameters: Record<string, unknown>) =>
  typeof value === 'string' ? new InterpolatedString(value, parameters) : undefined;

export const buildHttpRequester: Builder<HttpRequester> = (model, ctx) => {
  const parameters = parametersOf(model);
  const errorHandler =
    ctx.optional<ErrorHandler>(model, 'error_handler') ??
    ctx.at('error_handler').component<ErrorHandler>({ type: 'DefaultErrorHandler', $parameters: parameters });
  const { bodyJson, bodyData } = resolveRequestBody(model, ctx);
  const { queryProperties, queryPropertiesKey, requestParameters } = resolveQueryProperties(model, ctx);
  const def: RequesterDefinition = {
    name: String(parameters.name ?? model.name ?? ''),
    urlBase: template(model.url_base, parameters),
    url: template(model.url, parameters),
    path: template(model.path, parameters),
    method: String(model.http_method ?? 'GET').toUpperCase() as RequesterDefinition['method'],
    authenticator: buildAuthenticator(model, ctx),
    errorHandler,
    apiBudget: ctx.shared.apiBudget as ApiBudget | undefined,
    parameters,
    requestParameters,
    requestHeaders: model.request_headers as RequesterDefinition['requestHeaders'],
    requestBodyJson: bodyJson,
    requestBodyData: bodyData,
    timeoutSeconds: 300,
    queryProperties,
    queryPropertiesKey,
  };
  return new HttpRequester(def, ctx.run);
};

/**
 * 7.x `request_body` is a typed union that resolves to the older json/data fields, replacing the
 * one of its kind: JSON object and GraphQL (its query object without null fields) are JSON, plain
 * text and URL-encoded form are data. Both kinds at once is an error, as in the CDK.
 */
/**
 * The requester's authenticator, built knowing the requester's `url` or `url_base` as the CDK's
 * factory builds it: a LegacySessionTokenAuthenticator puts its (relative) login and validation
 * URLs after it.
 */
function buildAuthenticator(model: Model, ctx: BuildContext): Authenticator | undefined {
  const previous = ctx.shared[REQUESTER_URL_BASE];
  ctx.shared[REQUESTER_URL_BASE] = model.url ?? model.url_base;
  try {
    return ctx.optional<Authenticator>(model, 'authenticator');
  } finally {
    ctx.shared[REQUESTER_URL_BASE] = previous;
  }
}

function resolveRequestBody(model: Model, ctx: BuildContext): { bodyJson: unknown; bodyData: RequesterDefinition['requestBodyData'] } {
  let bodyJson: unknown = model.request_body_json;
  let bodyData = model.request_body_data as RequesterDefinition['requestBodyData'];
  const body = model.request_body as Model | undefined;
  if (body) {
    const bctx = ctx.at('request_body');
    switch (body.type) {
      case 'RequestBodyJsonObject':
        bodyJson = body.value;
        break;
      case 'RequestBodyGraphQL': {
        const query = body.value;
        if (typeof query !== 'object' || query === null || Array.isArray(query)) {
          throw bctx.error('MANIFEST_INVALID', 'RequestBodyGraphQL.value must be an object with a query', body);
        }
        // pydantic's .dict(exclude_none=True): top-level nulls go, extra fields stay.
        bodyJson = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== null));
        break;
      }
      case 'RequestBodyPlainText':
      case 'RequestBodyUrlEncodedForm':
        bodyData = body.value as RequesterDefinition['requestBodyData'];
        break;
      default:
        throw bctx.error('MANIFEST_UNSUPPORTED', `request body type '${String(body.type)}' is not supported`, body);
    }
  }
  if (nonEmpty(bodyJson) && nonEmpty(bodyData)) {
    throw ctx.error('MANIFEST_INVALID', "a requester can have a JSON body or a data body, not both (request_body_json / request_body_data / request_body)", model);
  }
  return { bodyJson, bodyData };
}

function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return typeof value !== 'object' || Object.keys(value).length > 0;
}

/**
 * Where a requester's QueryProperties comes from, in the CDK's order: a QueryProperties value in
 * request_parameters (its key then carries the comma-joined chunk, and it leaves the templates),
 * else the deprecated fetch_properties_from_endpoint, else query_properties.
 */
function resolveQueryProperties(
  model: Model,
  ctx: BuildContext,
): { queryProperties?: QueryProperties; queryPropertiesKey?: string; requestParameters: RequesterDefinition['requestParameters'] } {
  const params = model.request_parameters as RequesterDefinition['requestParameters'];
  const isQueryProperties = (value: unknown) =>
    typeof value === 'object' && value !== null && (value as Model).type === 'QueryProperties';
  const inParams = typeof params === 'object' && params !== null ? Object.entries(params).filter(([, value]) => isQueryProperties(value)) : [];
  if (inParams.length > 0) {
    if (model.fetch_properties_from_endpoint) {
      throw ctx.error(
        'MANIFEST_INVALID',
        'PropertiesFromEndpoint should only be specified once per stream, but it is in both fetch_properties_from_endpoint and request_parameters',
        model,
      );
    }
    if (inParams.length > 1) {
      throw ctx.at('request_parameters').error(
        'MANIFEST_INVALID',
        `request_parameters can hold only one QueryProperties, found ${inParams.length} (${inParams.map(([key]) => key).join(', ')})`,
        params,
      );
    }
    const [key, definition] = inParams[0] as [string, Model];
    const queryProperties = ctx.at('request_parameters').at(key).component<QueryProperties>(definition);
    const requestParameters = Object.fromEntries(Object.entries(params as Model).filter(([, value]) => !isQueryProperties(value)));
    return { queryProperties, queryPropertiesKey: key, requestParameters };
  }
  if (model.fetch_properties_from_endpoint) {
    const list = ctx.required<PropertiesFromEndpoint>(model, 'fetch_properties_from_endpoint', 'PropertiesFromEndpoint');
    return { queryProperties: new QueryProperties(list, undefined, undefined, undefined), requestParameters: params };
  }
  return { queryProperties: ctx.optional<QueryProperties>(model, 'query_properties', 'QueryProperties'), requestParameters: params };
}

export const requesterBuilders: Record<string, Builder> = {
  HttpRequester: buildHttpRequester,
  RequestOption: buildRequestOption,
  QueryProperties: buildQueryProperties,
  PropertiesFromEndpoint: buildPropertiesFromEndpoint,
  PropertyChunking: buildPropertyChunking,
  GroupByKeyMergeStrategy: buildGroupByKeyMergeStrategy,
  JsonSchemaPropertySelector: buildJsonSchemaPropertySelector,
};
