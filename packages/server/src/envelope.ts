/** One place renders every response: the envelope on success, coded errors on failure. */
import { AppError, CoreErrors, type ErrorEnvelope, ok, validationError } from '@tenon/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localeOf } from './context.ts';

export function send<T>(reply: FastifyReply, data: T, status = 200): FastifyReply {
  // `code` mirrors the HTTP status (decision 0001): a create says 201 in both places.
  return reply.code(status).send({ ...ok(data, reply.request.id, new Date()), code: status });
}

function fromFastifyError(err: FastifyError): AppError | null {
  // A JSON body over `bodyLimit`, and an upload over the file limit (multipart's FST_REQ_FILE_TOO_LARGE).
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
    return new AppError(CoreErrors.PAYLOAD_TOO_LARGE);
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

/**
 * PostgreSQL cannot store NUL in text or jsonb (SQLSTATE 22021, 22P05). Only client input carries
 * one (an id, a name, a label...): a 400, wherever the text was going, not a 500.
 */
function fromDatabaseError(err: { code?: unknown }): AppError | null {
  return err.code === '22021' || err.code === '22P05'
    ? new AppError(CoreErrors.BAD_REQUEST, { reason: 'text may not contain NUL characters' })
    : null;
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

/**
 * Errors the router meets before any route or hook runs (a malformed percent-encoding, a path
 * segment longer than `maxParamLength`): the same envelope instead of Fastify's own JSON.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appErr =
    err.code === 'FST_ERR_BAD_URL'
      ? new AppError(CoreErrors.BAD_REQUEST, { reason: 'the URL is not validly encoded' })
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError(CoreErrors.BAD_REQUEST, { reason: 'a path segment is too long' })
        : new AppError(CoreErrors.INTERNAL);
  if (appErr.status >= 500) request.log.error({ err }, 'unhandled framework error');
  reply.header('x-trace-id', request.id).code(appErr.status).send(errorEnvelope(request, appErr));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const err = raw instanceof AppError ? raw : (fromFastifyError(raw) ?? fromDatabaseError(raw));
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
