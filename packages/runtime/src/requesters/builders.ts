import type { Authenticator } from '../auth/authenticator.js';
import type { ErrorHandler } from '../error-handlers/error-handler.js';
import type { Builder, Model } from '../factory/build-context.js';
import { parametersOf } from '../factory/build-context.js';
import { InterpolatedString } from '../interpolation/index.js';
import type { ApiBudget } from '../rate-limiting/api-budget.js';
import { HttpRequester, type RequesterDefinition } from './http-requester.js';
import { buildRequestOption } from './request-option.js';

const template = (value: unknown, parameters: Record<string, unknown>) =>
  typeof value === 'string' ? new InterpolatedString(value, parameters) : undefined;

export const buildHttpRequester: Builder<HttpRequester> = (model, ctx) => {
  const parameters = parametersOf(model);
  const errorHandler =
    ctx.optional<ErrorHandler>(model, 'error_handler') ??
    ctx.at('error_handler').component<ErrorHandler>({ type: 'DefaultErrorHandler', $parameters: parameters });
  let bodyJson: unknown = model.request_body_json;
  let bodyData = model.request_body_data as RequesterDefinition['requestBodyData'];
  const body = model.request_body as Model | undefined;
  if (body) {
    // 7.x `request_body` is a typed union; it resolves to the older json/data fields.
    if (body.type === 'RequestBodyJsonObject' || body.type === 'RequestBodyGraphQL') bodyJson = body.value;
    else bodyData = body.value as RequesterDefinition['requestBodyData'];
  }
  const def: RequesterDefinition = {
    name: String(parameters.name ?? model.name ?? ''),
    urlBase: template(model.url_base, parameters),
    url: template(model.url, parameters),
    path: template(model.path, parameters),
    method: String(model.http_method ?? 'GET').toUpperCase() as RequesterDefinition['method'],
    authenticator: ctx.optional<Authenticator>(model, 'authenticator'),
    errorHandler,
    apiBudget: ctx.shared.apiBudget as ApiBudget | undefined,
    parameters,
    requestParameters: model.request_parameters as RequesterDefinition['requestParameters'],
    requestHeaders: model.request_headers as RequesterDefinition['requestHeaders'],
    requestBodyJson: bodyJson,
    requestBodyData: bodyData,
    timeoutSeconds: 300,
  };
  return new HttpRequester(def, ctx.run);
};

export const requesterBuilders: Record<string, Builder> = {
  HttpRequester: buildHttpRequester,
  RequestOption: buildRequestOption,
};
