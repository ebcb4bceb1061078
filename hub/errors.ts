/**
 * The use cases' refusals, one class per answer: the API maps a code to its status (NOT_FOUND 404,
 * INVALID_REQUEST 400, docs/errors.md) and the CLI exits 2 for both, as for bad usage.
 */
import { HubError } from '../shared/errors.ts';

/** Absent, or another tenant's (indistinguishable on purpose). */
export class MissingError extends HubError {
  constructor(kind: string, id: string, tenantId?: string) {
    super('NOT_FOUND', 'never', `no ${kind} ${id}${tenantId === undefined ? '' : ` in tenant ${tenantId}`}`);
    this.name = 'MissingError';
  }
}

/** The request is well formed but the operation cannot apply to what it names. */
export class RefusedError extends HubError {
  constructor(message: string) {
    super('INVALID_REQUEST', 'never', message);
    this.name = 'RefusedError';
  }
}

/** The queue's Redis did not answer: a one-shot command says so at once instead of waiting forever (the CLI exits 3). */
export class QueueUnreachableError extends HubError {
  constructor(message: string) {
    super('QUEUE_UNREACHABLE', 'backoff', message);
    this.name = 'QueueUnreachableError';
  }
}
