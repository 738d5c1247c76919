/** `/api/openapi.json` from the live metamodel and an interactive reference at `/api/docs`. */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
// The path helper only: the package's index loads its whole browser bundle.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { type ServerDeps, tenantOf } from '../context.ts';
import { buildOpenApi } from '../openapi.ts';

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8" />
  <title>Tenon API</title>
  <link rel="stylesheet" href="/api/docs/static/swagger-ui.css" />
  <style>
    #signin { font: 14px sans-serif; padding: 12px 20px; background: #f4f6f8; display: flex; gap: 8px; align-items: center; }
    #signin input { padding: 4px 6px; }
  </style>
</head>
<body>
  <form id="signin">
    <strong>Tenon API</strong>
    <input name="username" placeholder="用户名 / username" autocomplete="username" required />
    <input name="password" type="password" placeholder="密码 / password" autocomplete="current-password" required />
    <input name="tenant" placeholder="租户 / tenant (optional)" />
    <button>登录 / Sign in</button>
    <span id="status"></span>
  </form>
  <div id="ui"></div>
  <script src="/api/docs/static/swagger-ui-bundle.js"></script>
  <script>
    const status = document.getElementById('status');
    function show() {
      const token = sessionStorage.getItem('tenon.token');
      if (!token) { status.textContent = '请先登录以查看接口 / sign in to load the API'; return; }
      status.textContent = '';
      window.ui = SwaggerUIBundle({
        url: '/api/openapi.json',
        dom_id: '#ui',
        deepLinking: true,
        requestInterceptor: (req) => { req.headers.Authorization = 'Bearer ' + token; return req; },
      });
    }
    document.getElementById('signin').addEventListener('submit', async (event) => {
      event.preventDefault();
      const form = Object.fromEntries(new FormData(event.target));
      if (!form.tenant) delete form.tenant;
      const res = await fetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(form),
      });
      const body = await res.json();
      if (!res.ok) { status.textContent = body.message; return; }
      sessionStorage.setItem('tenon.token', body.data.accessToken);
      show();
    });
    show();
  </script>
</body>
</html>`;

export async function docsRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  await app.register(fastifyStatic, {
    root: getAbsoluteFSPath(),
    prefix: '/api/docs/static/',
    decorateReply: false,
  });
  app.get('/api/openapi.json', async (request) => {
    const metamodel = await deps.metamodels.forTenant(tenantOf(request));
    return buildOpenApi(metamodel, `${request.protocol}://${request.host}`);
  });
  app.get('/api/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
