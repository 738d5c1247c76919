/** `/api/openapi.json` from the live metamodel and an interactive reference at `/api/docs`. */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import swaggerUi from 'swagger-ui-dist';
import { type ServerDeps, tenantOf } from '../context.ts';
import { buildOpenApi } from '../openapi.ts';

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8" />
  <title>Tenon API</title>
  <link rel="stylesheet" href="/api/docs/static/swagger-ui.css" />
</head>
<body>
  <div id="ui"></div>
  <script src="/api/docs/static/swagger-ui-bundle.js"></script>
  <script>
    const tenant = new URLSearchParams(location.search).get('tenant');
    window.ui = SwaggerUIBundle({
      url: '/api/openapi.json' + (tenant ? '?tenant=' + encodeURIComponent(tenant) : ''),
      dom_id: '#ui',
      deepLinking: true,
      requestInterceptor: (req) => { if (tenant) req.headers['X-Tenant'] = tenant; return req; },
    });
  </script>
</body>
</html>`;

export async function docsRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await app.register(fastifyStatic, {
    root: swaggerUi.getAbsoluteFSPath(),
    prefix: '/api/docs/static/',
    decorateReply: false,
  });
  app.get('/api/openapi.json', async (request) => {
    const metamodel = await deps.metamodels.forTenant(tenantOf(request));
    return buildOpenApi(metamodel, `${request.protocol}://${request.host}`);
  });
  app.get('/api/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
