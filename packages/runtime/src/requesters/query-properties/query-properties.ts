import type { Builder } from '../../factory/build-context.js';
import type { JsonSchemaPropertySelector } from './json-schema-property-selector.js';
import type { PropertiesFromEndpoint } from './properties-from-endpoint.js';
import type { PropertyChunking } from './property-chunking.js';

/**
 * QueryProperties: the properties a request must name (a static list or one read from an
 * endpoint), narrowed to the catalog's selected columns when a selector is given, and split into
 * chunks when the API limits how many fit in one request. The retriever sends one request per
 * chunk for every page.
 */
export class QueryProperties {
  constructor(
    private readonly propertyList: string[] | PropertiesFromEndpoint,
    private readonly alwaysInclude: string[] | undefined,
    readonly chunking: PropertyChunking | undefined,
    private readonly selector: JsonSchemaPropertySelector | undefined,
  ) {}

  async chunks(streamName: string): Promise<string[][]> {
    const selected = this.selector?.select(streamName);
    const properties = Array.isArray(this.propertyList) ? this.propertyList : await this.propertyList.properties();
    if (this.chunking) return this.chunking.chunks(properties, this.alwaysInclude, selected);
    const kept = selected === undefined ? [...properties] : properties.filter((property) => selected.has(property));
    // Without chunking, always-included properties come first (with chunking they also start each chunk).
    return [[...(this.alwaysInclude ?? []), ...kept]];
  }
}

export const buildQueryProperties: Builder<QueryProperties> = (model, ctx) => {
  const list = model.property_list;
  let propertyList: string[] | PropertiesFromEndpoint;
  if (Array.isArray(list)) {
    if (!list.every((item) => typeof item === 'string')) {
      throw ctx.at('property_list').error('MANIFEST_INVALID', 'property_list must be a list of strings', model);
    }
    propertyList = list as string[];
  } else if (typeof list === 'object' && list !== null) {
    propertyList = ctx.required<PropertiesFromEndpoint>(model, 'property_list', 'PropertiesFromEndpoint');
  } else {
    throw ctx.error('MANIFEST_INVALID', 'QueryProperties needs property_list (a list of strings or a PropertiesFromEndpoint)', model);
  }
  const always = model.always_include_properties;
  if (always !== undefined && always !== null && !(Array.isArray(always) && always.every((item) => typeof item === 'string'))) {
    throw ctx.at('always_include_properties').error('MANIFEST_INVALID', 'always_include_properties must be a list of strings', model);
  }
  return new QueryProperties(
    propertyList,
    (always as string[] | null | undefined) ?? undefined,
    ctx.optional<PropertyChunking>(model, 'property_chunking', 'PropertyChunking'),
    ctx.optional<JsonSchemaPropertySelector>(model, 'property_selector', 'JsonSchemaPropertySelector'),
  );
};
