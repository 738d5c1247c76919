/** OpenAPI 3.1, generated from the tenant's live metamodel on each request. */
import { labelText } from '@tenon/core';
import { type JsonSchema, OPERATORS, recordSchema, type TenantMetamodel } from '@tenon/design';
import { transferPaths } from './routes/transfer.routes.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const envelope = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['code', 'message', 'data', 'timestamp', 'traceId'],
  properties: {
    code: { type: 'integer', examples: [200] },
    message: { type: 'string' },
    data,
    timestamp: { type: 'string', format: 'date-time' },
    traceId: { type: 'string' },
  },
});

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'ETag of the version being changed; 412 when it is stale',
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 200 },
};

const listParams = [
  {
    name: 'filter',
    in: 'query',
    schema: { type: 'string' },
    description: `JSON filter tree: {"and"|"or": [...]} of {"field","op","value"}; op in ${OPERATORS.join(', ')}. Also filter[field][op]=value.`,
  },
  {
    name: 'sort',
    in: 'query',
    schema: { type: 'string' },
    description: 'Comma-separated fields, - for descending: name,-created_at',
  },
  { name: 'fields', in: 'query', schema: { type: 'string' } },
  {
    name: 'expand',
    in: 'query',
    schema: { type: 'string' },
    description: 'Link, multi-link, attachment or children fields to expand',
  },
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
  {
    name: 'cursor',
    in: 'query',
    schema: { type: 'string' },
    description: 'Keyset paging: nextCursor of the previous page',
  },
  { name: 'total', in: 'query', schema: { type: 'boolean' }, description: 'Also count all matching records' },
];

/** JSON Schema keywords OpenAPI tools choke on are fine in 3.1; component names must be plain. */
export function buildOpenApi(metamodel: TenantMetamodel, serverUrl: string): JsonSchema {
  const schemas: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      properties: {
        code: { type: 'integer' },
        message: { type: 'string' },
        data: { type: 'null' },
        error: {
          type: 'object',
          properties: {
            code: { type: 'string' },
            details: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  field: { type: 'string' },
                  code: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
        timestamp: { type: 'string' },
        traceId: { type: 'string' },
      },
    },
  };
  const paths: Record<string, unknown> = {};
  const lookup = (n: string) => metamodel.find(n)?.def;
  const tags: { name: string; description: string }[] = [];

  for (const stored of metamodel.definitions()) {
    const entity = metamodel.find(stored.def.name);
    if (!entity) continue;
    const name = entity.def.name;
    schemas[name] = recordSchema(entity.def, lookup, 'output');
    if (entity.def.childOf) continue;
    schemas[`${name}_create`] = recordSchema(entity.def, lookup, 'create');
    schemas[`${name}_update`] = recordSchema(entity.def, lookup, 'update');
    const title = `${labelText(entity.def.label, 'zh-CN', name)} / ${labelText(entity.def.label, 'en', name)}`;
    tags.push({ name, description: title });
    const one = { description: 'OK', content: json(envelope(ref(name))) };
    const page = {
      description: 'OK',
      content: json(
        envelope({
          type: 'object',
          properties: {
            items: { type: 'array', items: ref(name) },
            total: { type: ['integer', 'null'] },
            page: { type: ['integer', 'null'] },
            pageSize: { type: 'integer' },
            nextCursor: { type: ['string', 'null'] },
          },
        }),
      ),
    };
    const common = {
      '400': errorResponse('Bad request'),
      '401': errorResponse('Not signed in'),
      '403': errorResponse('Not allowed'),
      '404': errorResponse('Not found'),
    };
    paths[`/api/v1/${name}`] = {
      get: {
        tags: [name],
        summary: `List ${title}`,
        operationId: `list_${name}`,
        parameters: listParams,
        responses: { '200': page, ...common },
      },
      post: {
        tags: [name],
        summary: `Create ${title}`,
        operationId: `create_${name}`,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref(`${name}_create`)) },
        responses: {
          '201': one,
          ...common,
          '409': errorResponse('Conflict'),
          '422': errorResponse('Validation failed'),
        },
      },
    };
    paths[`/api/v1/${name}/{id}`] = {
      get: {
        tags: [name],
        summary: `Get ${title}`,
        operationId: `get_${name}`,
        parameters: [idParam],
        responses: { '200': one, ...common },
      },
      patch: {
        tags: [name],
        summary: `Update ${title}`,
        operationId: `update_${name}`,
        parameters: [idParam, ifMatch],
        requestBody: { required: true, content: json(ref(`${name}_update`)) },
        responses: {
          '200': one,
          ...common,
          '412': errorResponse('Version conflict'),
          '422': errorResponse('Validation failed'),
        },
      },
      delete: {
        tags: [name],
        summary: `Delete ${title}`,
        operationId: `delete_${name}`,
        parameters: [idParam, ifMatch],
        responses: {
          '200': { description: 'Deleted', content: json(envelope({ type: 'object' })) },
          ...common,
          '409': errorResponse('Still referenced'),
        },
      },
    };
    Object.assign(paths, transferPaths(name, title, listParams.slice(0, 3), common));
    for (const action of entity.def.actions ?? []) {
      paths[`/api/v1/${name}/{id}/${action.name}`] = {
        post: {
          tags: [name],
          summary: `${labelText(action.label, 'zh-CN', action.name)} / ${labelText(action.label, 'en', action.name)}`,
          operationId: `${action.name}_${name}`,
          parameters: [idParam, idempotencyKey],
          requestBody: { required: false, content: json({ type: 'object' }) },
          responses: { '200': one, ...common, '409': errorResponse('Not allowed in this state') },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `Tenon API (${metamodel.tenant.name})`,
      version: '1',
      description: 'Generated from the live metamodel. Money and quantities are decimal strings.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from POST /api/v1/auth/login, or an API token (tna_...)',
        },
      },
    },
  };
}
