/** One place renders every response: the envelope on success, coded errors on failure. */
import { AppError, CoreErrors, type ErrorEnvelope, ok, validationError } from '@tenon/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localeOf } from './context.ts';

export function send<T>(reply: FastifyReply, data: T, status = 200): FastifyReply {
  // `code` mirrors the HTTP status (decision 0001): a create says 201 in both places.
  return reply.code(status).send({ ...ok(data, reply.request.id, new Date()), code: status });
}

function fromFastifyError(err: FastifyError): AppError | null {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError(CoreErrors.PAYLOAD_TOO_LARGE);
  // A route's body schema refused the input: field-level details, as for entity records.
  if (err.validation) {
    return validationError(
      err.validation.map((v) => {
        const base = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const extra = (v.params as { additionalProperty?: string; missingProperty?: string }) ?? {};
        const name = extra.additionalProperty ?? extra.missingProperty;
        return {
          field: name ? (base ? `${base}.${name}` : name) : base,
          code: v.keyword === 'additionalProperties' ? 'unknown_field' : v.keyword,
          message: v.message ?? 'is invalid',
        };
      }),
    );
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError(CoreErrors.BAD_REQUEST, { reason: err.message });
  }
  return null;
}

export function errorEnvelope(request: FastifyRequest, err: AppError): ErrorEnvelope {
  return {
    code: err.status,
    message: err.localizedMessage(localeOf(request)),
    data: null,
    error: { code: err.code, details: err.details },
    timestamp: new Date().toISOString(),
    traceId: request.id,
  };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const err = raw instanceof AppError ? raw : fromFastifyError(raw);
    if (err) return reply.code(err.status).send(errorEnvelope(request, err));
    request.log.error({ err: raw }, 'unhandled error');
    return reply.code(500).send(errorEnvelope(request, new AppError(CoreErrors.INTERNAL)));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorEnvelope(
          request,
          new AppError(CoreErrors.NOT_FOUND, { what: `${request.method} ${request.url}` }),
        ),
      ),
  );
}
