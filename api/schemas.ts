/** JSON schema fragments shared by the routes (they also become the OpenAPI components). */

export const instant = { type: 'string', format: 'date-time', description: 'ISO-8601 instant; answers are always UTC with Z' } as const;
export const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const idList = { type: 'array', items: id, maxItems: 200, uniqueItems: true } as const;

export const errorResponses = {
  400: { $ref: 'Error#' },
  401: { $ref: 'Error#' },
  404: { $ref: 'Error#' },
  413: { $ref: 'Error#' },
  429: { $ref: 'Error#' },
  500: { $ref: 'Error#' },
} as const;

export const security = [{ apiKey: [] as string[] }];

export const idParams = { type: 'object', required: ['id'], properties: { id }, additionalProperties: false } as const;

export const busyStatus = { type: 'string', enum: ['busy', 'tentative', 'oof', 'workingElsewhere'] } as const;
