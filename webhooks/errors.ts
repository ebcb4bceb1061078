/**
 * The receivers' error answers, in the API's shape `{ error: { code, message } }`; each code has
 * a row in docs/errors.md. Providers read only the status: 4xx is not retried, 5xx is.
 */
import type { FastifyReply } from 'fastify';

export const WEBHOOK_ERRORS = [
  { code: 'WEBHOOK_INVALID_REQUEST', status: 400 },
  { code: 'WEBHOOK_REJECTED', status: 403 },
  { code: 'WEBHOOK_REPLAYED', status: 409 },
  { code: 'WEBHOOK_RATE_LIMITED', status: 429 },
  { code: 'WEBHOOK_UNAVAILABLE', status: 503 },
] as const;

export type WebhookErrorCode = (typeof WEBHOOK_ERRORS)[number]['code'];

export function sendError(reply: FastifyReply, code: WebhookErrorCode, message: string, status?: number): FastifyReply {
  const fallback = WEBHOOK_ERRORS.find((e) => e.code === code)!.status;
  return reply.code(status ?? fallback).send({ error: { code, message } });
}

export const errorAnswer = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: WEBHOOK_ERRORS.map((e) => e.code) }, message: { type: 'string' } },
    },
  },
} as const;

export const errorAnswers = { 400: errorAnswer, 403: errorAnswer, 409: errorAnswer, 413: errorAnswer, 415: errorAnswer, 429: errorAnswer, 503: errorAnswer } as const;

/** The logger's serializer reads `.message` and `.stack`: anything thrown is logged as an Error. */
export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
