/**
 * Generated from calhub's /openapi.json by scripts/gen-client.ts (openapi-typescript). Do not edit:
 * run `npm run gen:client` after changing a route; api/client.test.ts fails when this file is stale.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store answers within 2 s (503 when not); Redis down is 200 degraded, Redis not yet connected at start 200 starting */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description each probe by name (store, redis) */
                            checks: {
                                [key: string]: "ok" | "starting" | "unavailable";
                            };
                            /** @description why each unavailable probe is, in a few words (connection refused, did not answer within 2 s) */
                            reasons?: {
                                [key: string]: string;
                            };
                            /**
                             * @description degraded: Redis is unavailable, the API still serves (sync and outgoing webhooks wait); starting: the process is still making its first connection to Redis (up to its connect timeout), and serves meanwhile
                             * @enum {string}
                             */
                            status: "ready" | "starting" | "degraded" | "not_ready";
                        };
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description each probe by name (store, redis) */
                            checks: {
                                [key: string]: "ok" | "starting" | "unavailable";
                            };
                            /** @description why each unavailable probe is, in a few words (connection refused, did not answer within 2 s) */
                            reasons?: {
                                [key: string]: string;
                            };
                            /**
                             * @description degraded: Redis is unavailable, the API still serves (sync and outgoing webhooks wait); starting: the process is still making its first connection to Redis (up to its connect timeout), and serves meanwhile
                             * @enum {string}
                             */
                            status: "ready" | "starting" | "degraded" | "not_ready";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connected accounts, by id; q matches the external id and display name */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: account status (active, needs_reauth, disabled, error) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /**
                                 * @description What the account was connected to do: freebusy (calhub keeps only when it is busy), read (no writes: 409 ACCOUNT_READ_ONLY), readwrite. Connecting it again with other access changes it (webhook account.updated). Null only while the grant's encryption key is missing from the key ring
                                 * @enum {string|null}
                                 */
                                access?: "freebusy" | "read" | "readwrite" | null;
                                /** Format: date-time */
                                createdAt: string;
                                displayName?: string | null;
                                /** @description The account's email address as its provider tells it (read-only): Google, the primary calendar's id; Microsoft 365, Graph /me mail, else userPrincipalName; CalDAV, the email given at connect, else the server's calendar-user-address-set mailto: address. Null when none is known (a CalDAV login without either; an account connected before calhub kept it, until its next connect or calendar-list reading) */
                                email?: string | null;
                                externalId: string;
                                id: string;
                                /** @enum {string} */
                                provider: "google" | "microsoft" | "caldav" | "memory";
                                /** @enum {string} */
                                status: "active" | "needs_reauth" | "disabled" | "error";
                                /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required…), calhub's message, or an operator's for disabled. Not stable: read statusReasonCode */
                                statusReason?: string | null;
                                /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the user reconnects it); null in every other status */
                                statusReasonCode?: string | null;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description What the account was connected to do: freebusy (calhub keeps only when it is busy), read (no writes: 409 ACCOUNT_READ_ONLY), readwrite. Connecting it again with other access changes it (webhook account.updated). Null only while the grant's encryption key is missing from the key ring
                             * @enum {string|null}
                             */
                            access?: "freebusy" | "read" | "readwrite" | null;
                            /** Format: date-time */
                            createdAt: string;
                            displayName?: string | null;
                            /** @description The account's email address as its provider tells it (read-only): Google, the primary calendar's id; Microsoft 365, Graph /me mail, else userPrincipalName; CalDAV, the email given at connect, else the server's calendar-user-address-set mailto: address. Null when none is known (a CalDAV login without either; an account connected before calhub kept it, until its next connect or calendar-list reading) */
                            email?: string | null;
                            externalId: string;
                            id: string;
                            /** @enum {string} */
                            provider: "google" | "microsoft" | "caldav" | "memory";
                            /** @enum {string} */
                            status: "active" | "needs_reauth" | "disabled" | "error";
                            /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required…), calhub's message, or an operator's for disabled. Not stable: read statusReasonCode */
                            statusReason?: string | null;
                            /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the user reconnects it); null in every other status */
                            statusReasonCode?: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Disconnect: revoke at the provider, stop channels, delete the account and its data */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description push channels nothing will stop (the provider refused the stop for good, or no token or resource id was left): they notify until they expire */
                            channelsLeftRunning?: {
                                channelId: string;
                                error: string;
                                /** Format: date-time */
                                expiresAt: string | null;
                            }[];
                            channelsStopped: number;
                            /** @description push channels whose stop failed 5 times for a passing reason (5xx, 429, a timeout): queued, and retried by the worker with backoff until stopped or expired */
                            channelsStopQueued?: {
                                channelId: string;
                                error: string;
                                /** Format: date-time */
                                expiresAt: string | null;
                            }[];
                            /** @description mirror copies calhub wrote into the account's own calendars, deleted at its provider before the grant went */
                            copiesDeleted?: number;
                            /** @description copies of the account's events in other accounts' calendars, deleted in calhub; this call sends their deletes itself before it answers (a push of each such calendar, or a whole sync when no worker runs) */
                            copiesElsewhere?: number;
                            /** @description the other accounts' calendars that still hold some of those copies at their provider when this call answered: how many deletes wait in that calendar's outbox, why (its push or sync failed, a sync run held its slot, the provider refused a delete), and queued (true: a worker sends them; false: no worker, the calendar's next sync sends them once the cause is mended). A delete the provider refuses for its content is tried by each push; after 3 such refusals it is parked and offered again 1 hour after its 3rd refusal, the wait doubling with each further refusal, at most a day (GET /v1/calendars/{id}/writes: state parked, nextTryAt). Empty: every such copy is gone at its provider */
                            copiesElsewhereLeft?: {
                                calendarId: string;
                                copies: number;
                                error: string;
                                queued: boolean;
                            }[];
                            /** @description mirror copies in the account's own calendars not known to be gone at the provider (it refused the delete, or a sync run still writing one held the calendar): they stay there as events the user can delete */
                            copiesLeft?: {
                                calendarId: string;
                                error: string;
                                remoteId: string | null;
                                uid: string;
                            }[];
                            id: string;
                            /**
                             * @description whether the grant was revoked at the provider; kept: not, because the grant may still serve another connection (the same provider user through the same OAuth client) and revoking would end it too; deferred: channel stops were queued, and the grant is revoked after the last of them (a revoked grant could not stop them)
                             * @enum {string}
                             */
                            revoked: "yes" | "not-supported" | "failed" | "no-grant" | "kept" | "deferred";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/calendars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a calendar in the account at its provider (Google, Microsoft 365, CalDAV); it is synced like the account's others
         * @description Google needs the calendar.app.created scope, asked for on every readwrite connection (an account connected before it answers 403 INSUFFICIENT_SCOPE: connect it again). timeZone (IANA or Windows) is the calendar's own on Google and CalDAV (CalDAV: sent as calendar-timezone; a server that does not keep it, such as Xandikos, is 400 VALIDATION_FAILED naming both zones and nothing is left: leave timeZone out there, the calendar is in UTC). A Microsoft 365 calendar has no zone of its own and takes the mailbox's: leave timeZone out, or a zone other than the mailbox's is 400 VALIDATION_FAILED naming both (nothing is made). A name with a control character other than tab, line feed and carriage return is 400 INVALID_TEXT (nothing is sent). A name Microsoft 365 has already is 409 CALENDAR_EXISTS; 409 ACCOUNT_NEEDS_REAUTH, 502 PROVIDER_REFUSED and 503 PROVIDER_UNAVAILABLE carry the provider's answer.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        timeZone?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            accessRole: "owner" | "writer" | "reader" | "freeBusyReader";
                            accountId: string;
                            color?: string | null;
                            /**
                             * @description How a field changed on both sides is settled (GET /v1/calendars/:id, the GET /v1/calendars items and PATCH answer it; PATCH sets it, as `calhub calendars policy --conflict`)
                             * @enum {string}
                             */
                            conflictPolicy?: "hub-wins" | "provider-wins" | "latest-wins" | "manual";
                            /** @description Whether its busy time counts when free/busy or availability names its account (a calendar named by id always counts). By default the account's own and writable calendars count and calendars shared with it to read (a colleague's, holidays, birthdays) do not; PATCH sets it */
                            countsForBusy?: boolean;
                            /** @description countsForBusy was set through PATCH (false: it follows the access) */
                            countsForBusyChosen?: boolean;
                            /** Format: date-time */
                            createdAt?: string;
                            failureCount?: number;
                            id: string;
                            /** @description The last sync failure as recorded (`CODE: message`, never a credential), for people; null once a sync succeeds */
                            lastError?: string | null;
                            /** @description The last sync failure's stable code (docs/errors.md); null when none failed since the last success, or the failure was not one of calhub's coded errors (a run reaped as stale) */
                            lastErrorCode?: string | null;
                            lastSuccessAt?: string | null;
                            /**
                             * Format: date-time
                             * @description Since when the provider's calendar list leaves this calendar out; it is removed (calendar.deleted) when a listing CALENDAR_GONE_AFTER_MS later still does. Null while listed
                             */
                            missingSince?: string | null;
                            name: string;
                            /** @description Read-only: the provider's primary/default calendar of the account (Google calendarList primary, Microsoft 365 isDefaultCalendar, CalDAV the calendar the server's schedule-default-calendar-URL names; false for every CalDAV calendar when the server names none, as Radicale and Xandikos). Updated on every calendar-list reading */
                            primary?: boolean;
                            providerCalendarId?: string;
                            /** @description The zone the provider states for the calendar, kept up to date under a chosen one; UTC where it states none (a CalDAV collection without calendar-timezone, every Xandikos collection) */
                            providerTimeZone?: string;
                            /** @description Whether calhub syncs the calendar and keeps a copy of it (default true). Off: not polled, no push channel, no events held (reading or writing them is 409 CALENDAR_NOT_SYNCED), counting for no busy time; PATCH switches it */
                            syncEnabled?: boolean;
                            /** @enum {string} */
                            syncStage: "idle" | "scheduled" | "running" | "failed";
                            /** @description IANA zone; all-day and floating times resolve in it (the busy index, free/busy, availability, expansion, the event listing's timeZone). The zone chosen through PATCH when timeZoneChosen, else the provider's */
                            timeZone: string;
                            /** @description timeZone was chosen through PATCH and is kept over the provider's through every calendar listing (false: it is the provider's) */
                            timeZoneChosen?: boolean;
                            /** Format: date-time */
                            updatedAt?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/resync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sync the account's calendars now (full: list everything again instead of the changes)
         * @description 409 ACCOUNT_NEEDS_REAUTH: the account must be connected again (its grant was revoked); nothing is queued.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @default false */
                        full?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accountId: string;
                            /** @description The account's calendar list, read again before the syncs: calendars new at the provider (now syncing), updated (renamed, recoloured, listed again), missing from this listing (removed when one CALENDAR_GONE_AFTER_MS later still leaves them out) and removed; error when it could not be read (the known calendars sync anyway); null for an account that is not active */
                            calendarList?: {
                                added: {
                                    id: string;
                                    name: string;
                                }[];
                                error: string | null;
                                /** @description Why nothing was marked missing although calendars were left out (an empty listing, or one naming none of the known calendars) */
                                guarded: string | null;
                                missing: {
                                    id: string;
                                    name: string;
                                    /** Format: date-time */
                                    since: string;
                                }[];
                                removed: {
                                    id: string;
                                    name: string;
                                }[];
                                updated: {
                                    id: string;
                                    name: string;
                                }[];
                            } | null;
                            calendars: {
                                error?: string | null;
                                id: string;
                                /**
                                 * @description flagged: stopped by the mass-change guard, nothing queued until an operator unflags it (error says how)
                                 * @enum {string}
                                 */
                                outcome: "queued" | "failed" | "ok" | "flagged";
                            }[];
                            /** @enum {string} */
                            mode: "queue" | "in-process";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/caldav": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Connect a CalDAV account (iCloud, Fastmail, Nextcloud, …)
         * @description Refusals: 400 CREDENTIALS_REJECTED (the server rejected the username or password), 400 URL_NOT_ALLOWED (a private address without CALDAV_ALLOW_PRIVATE_NETWORKS), 502 PROVIDER_REFUSED, 503 PROVIDER_UNAVAILABLE; nothing is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description freebusy: calhub keeps only when the account is busy (titles, notes, places, guests never stored); read: no writes (409 ACCOUNT_READ_ONLY); readwrite. Absent: readwrite for a new account; a reconnect keeps the account's own
                         * @enum {string}
                         */
                        access?: "freebusy" | "read" | "readwrite";
                        /** @description the user's email address: the ORGANIZER of meetings calhub creates on this account when the server names no address of the user (Radicale and Xandikos name none). Without it and with a username that is no email, a meeting without organizer is refused (400 ORGANIZER_UNKNOWN). Absent: a reconnect keeps the account's own */
                        email?: string;
                        password: string;
                        url: string;
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description the access the account has now (a reconnect that named none keeps its own)
                             * @enum {string}
                             */
                            access: "freebusy" | "read" | "readwrite";
                            calendars: {
                                id: string;
                                name: string;
                                /** @description the calendar the server names its default (schedule-default-calendar-URL); false for all when it names none */
                                primary: boolean;
                            }[];
                            /** @description the account's email address, as GET /v1/accounts/{id} email: the one given, else the server's mailto: address; null when neither */
                            email?: string | null;
                            id: string;
                            provider: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Common free slots of several participants
         * @description A slot is offered when every required participant and at least `minimumOptional` optional ones are free: inside their working hours (in their own zone) and with no busy time within the buffers. Slots start at timeMin + k·step (with `slotTimeZone`: at whole steps of that zone's clock), never before now + `minimumNoticeMinutes` (so never in the past). While the store cannot be reached, a request whose participants name only calendarIds, all of which this process answered (free/busy or availability) within API_FREEBUSY_STALE_MAX_S, is answered from its cache, with headers X-Calhub-Stale: store-unavailable and Age: seconds since the store last confirmed that busy time; otherwise 503 STORE_UNAVAILABLE.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bufferAfterMinutes?: number;
                        bufferBeforeMinutes?: number;
                        durationMinutes: number;
                        /** @description busy statuses that do not block a slot; default ["workingElsewhere"] (a Google working-location marker spans whole days) */
                        freeStatuses?: ("busy" | "tentative" | "oof" | "workingElsewhere")[];
                        /** @description Most slots to answer (default and most 1000); truncated says when more matched */
                        maxSlots?: number;
                        /**
                         * @description No slot starts earlier than now plus this many minutes. With the default 0 no slot starts in the past: a window reaching before now answers only its slots from now on (one wholly past answers none). Slots stay on the grid (timeMin + k·step); the notice drops the earlier ones, it does not shift the grid.
                         * @default 0
                         */
                        minimumNoticeMinutes?: number;
                        /** @description How many optional participants must be free too; default 0, or 1 when every participant is optional (0 would offer slots where nobody is free, and is refused then) */
                        minimumOptional?: number;
                        /** @description At most 20 (more: 400 TOO_MANY_PARTICIPANTS) */
                        participants: {
                            accountIds?: string[];
                            calendarIds?: string[];
                            /** @description Names the participant in the answer; absent: `participant-N`, N its place in the list from 1 */
                            id?: string;
                            /** @default false */
                            optional?: boolean;
                            workingHours?: {
                                /** @description Working ranges per weekday (`sun` … `sat`), each starting on that day. A day absent or with an empty list is a day off: no slot starts in it (a range of the day before may still run into it overnight). */
                                days: {
                                    fri?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    mon?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    sat?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    sun?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    thu?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    tue?: {
                                        end: string;
                                        start: string;
                                    }[];
                                    wed?: {
                                        end: string;
                                        start: string;
                                    }[];
                                };
                                /** @description The zone the hours are read in: an IANA name, or a Windows one as Microsoft 365 gives it (400 ZONE_UNKNOWN otherwise) */
                                timeZone: string;
                            };
                        }[];
                        /** @description Puts the slot grid on this zone's wall clock instead of timeMin: slots start at local midnight + k·`stepMinutes` each day (`stepMinutes: 60` → on the hour, 30 → on the hour and half hour), DST-correct, whatever timeMin is. Send the zone the slots are shown in, usually the host's (a working day 14:00–22:30 in Asia/Kolkata with timeMin at 00:00Z and hourly steps otherwise offers 14:30, 15:30, …). An IANA name or a Windows one (400 ZONE_UNKNOWN otherwise). Absent: slots start at timeMin + k·step. */
                        slotTimeZone?: string;
                        /**
                         * @description Minutes between slot starts on the grid: timeMin + k·step, or with `slotTimeZone` whole steps of that zone's clock
                         * @default 15
                         */
                        stepMinutes?: number;
                        /**
                         * Format: date-time
                         * @description ISO-8601 instant; answers are always UTC with Z
                         */
                        timeMax: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 instant; answers are always UTC with Z
                         */
                        timeMin: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description every calendar consulted */
                            calendars?: {
                                calendarId: string;
                                /** @description present when this calendar's busy time may be incomplete: its account needs reauthorization, is disabled or in error, its last sync failed or was stopped, or its sync is switched off (CALENDAR_NOT_SYNCED: none of its busy time is held); busy time is as of lastSyncedAt */
                                errors?: {
                                    /** @enum {string} */
                                    code: "ACCOUNT_NEEDS_REAUTH" | "ACCOUNT_DISABLED" | "ACCOUNT_ERROR" | "SYNC_FAILED" | "CALENDAR_FLAGGED" | "CALENDAR_NOT_SYNCED" | "ITEMS_QUARANTINED" | "BEYOND_HORIZON";
                                    /** Format: date-time */
                                    lastSyncedAt: string | null;
                                    message: string;
                                }[];
                                participants: string[];
                            }[];
                            /** @description true when a calendar consulted or a participant carries errors: busy time may be incomplete, so some slots may not be free */
                            partial?: boolean;
                            /** @description every participant, with the calendars consulted for it; one that stands for no calendar carries NO_BUSY_CALENDARS (it shows free in every slot) */
                            participants?: {
                                calendarIds: string[];
                                /** @description present when this stands for no calendar (none listed yet, or none counts for busy time): calhub holds no busy time for it, so it shows free throughout */
                                errors?: {
                                    /** @enum {string} */
                                    code: "NO_BUSY_CALENDARS";
                                    lastSyncedAt: null;
                                    message: string;
                                }[];
                                id: string;
                            }[];
                            slots: {
                                /**
                                 * Format: date-time
                                 * @description ISO-8601 instant; answers are always UTC with Z
                                 */
                                end: string;
                                /** @description ids of the participants free in this slot */
                                participants: string[];
                                /**
                                 * Format: date-time
                                 * @description ISO-8601 instant; answers are always UTC with Z
                                 */
                                start: string;
                            }[];
                            /** @description true when more slots matched than maxSlots */
                            truncated: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendars": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Calendars, optionally of one account, by id; q matches the name */
        get: {
            parameters: {
                query?: {
                    accountId?: string;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: sync stage (idle, scheduled, running, failed) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @enum {string} */
                                accessRole: "owner" | "writer" | "reader" | "freeBusyReader";
                                accountId: string;
                                color?: string | null;
                                /**
                                 * @description How a field changed on both sides is settled (GET /v1/calendars/:id, the GET /v1/calendars items and PATCH answer it; PATCH sets it, as `calhub calendars policy --conflict`)
                                 * @enum {string}
                                 */
                                conflictPolicy: "hub-wins" | "provider-wins" | "latest-wins" | "manual";
                                /** @description Whether its busy time counts when free/busy or availability names its account (a calendar named by id always counts). By default the account's own and writable calendars count and calendars shared with it to read (a colleague's, holidays, birthdays) do not; PATCH sets it */
                                countsForBusy?: boolean;
                                /** @description countsForBusy was set through PATCH (false: it follows the access) */
                                countsForBusyChosen?: boolean;
                                /** Format: date-time */
                                createdAt?: string;
                                failureCount?: number;
                                id: string;
                                /** @description The last sync failure as recorded (`CODE: message`, never a credential), for people; null once a sync succeeds */
                                lastError?: string | null;
                                /** @description The last sync failure's stable code (docs/errors.md); null when none failed since the last success, or the failure was not one of calhub's coded errors (a run reaped as stale) */
                                lastErrorCode?: string | null;
                                lastSuccessAt?: string | null;
                                /**
                                 * Format: date-time
                                 * @description Since when the provider's calendar list leaves this calendar out; it is removed (calendar.deleted) when a listing CALENDAR_GONE_AFTER_MS later still does. Null while listed
                                 */
                                missingSince?: string | null;
                                name: string;
                                /** @description Read-only: the provider's primary/default calendar of the account (Google calendarList primary, Microsoft 365 isDefaultCalendar, CalDAV the calendar the server's schedule-default-calendar-URL names; false for every CalDAV calendar when the server names none, as Radicale and Xandikos). Updated on every calendar-list reading */
                                primary?: boolean;
                                providerCalendarId?: string;
                                /** @description The zone the provider states for the calendar, kept up to date under a chosen one; UTC where it states none (a CalDAV collection without calendar-timezone, every Xandikos collection) */
                                providerTimeZone?: string;
                                /** @description Whether calhub syncs the calendar and keeps a copy of it (default true). Off: not polled, no push channel, no events held (reading or writing them is 409 CALENDAR_NOT_SYNCED), counting for no busy time; PATCH switches it */
                                syncEnabled?: boolean;
                                /** @enum {string} */
                                syncStage: "idle" | "scheduled" | "running" | "failed";
                                /** @description IANA zone; all-day and floating times resolve in it (the busy index, free/busy, availability, expansion, the event listing's timeZone). The zone chosen through PATCH when timeZoneChosen, else the provider's */
                                timeZone: string;
                                /** @description timeZone was chosen through PATCH and is kept over the provider's through every calendar listing (false: it is the provider's) */
                                timeZoneChosen?: boolean;
                                /** Format: date-time */
                                updatedAt?: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendars/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One calendar */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            accessRole: "owner" | "writer" | "reader" | "freeBusyReader";
                            accountId: string;
                            color?: string | null;
                            /**
                             * @description How a field changed on both sides is settled (GET /v1/calendars/:id, the GET /v1/calendars items and PATCH answer it; PATCH sets it, as `calhub calendars policy --conflict`)
                             * @enum {string}
                             */
                            conflictPolicy?: "hub-wins" | "provider-wins" | "latest-wins" | "manual";
                            /** @description Whether its busy time counts when free/busy or availability names its account (a calendar named by id always counts). By default the account's own and writable calendars count and calendars shared with it to read (a colleague's, holidays, birthdays) do not; PATCH sets it */
                            countsForBusy?: boolean;
                            /** @description countsForBusy was set through PATCH (false: it follows the access) */
                            countsForBusyChosen?: boolean;
                            /** Format: date-time */
                            createdAt?: string;
                            failureCount?: number;
                            id: string;
                            /** @description The last sync failure as recorded (`CODE: message`, never a credential), for people; null once a sync succeeds */
                            lastError?: string | null;
                            /** @description The last sync failure's stable code (docs/errors.md); null when none failed since the last success, or the failure was not one of calhub's coded errors (a run reaped as stale) */
                            lastErrorCode?: string | null;
                            lastSuccessAt?: string | null;
                            /**
                             * Format: date-time
                             * @description Since when the provider's calendar list leaves this calendar out; it is removed (calendar.deleted) when a listing CALENDAR_GONE_AFTER_MS later still does. Null while listed
                             */
                            missingSince?: string | null;
                            name: string;
                            /** @description Read-only: the provider's primary/default calendar of the account (Google calendarList primary, Microsoft 365 isDefaultCalendar, CalDAV the calendar the server's schedule-default-calendar-URL names; false for every CalDAV calendar when the server names none, as Radicale and Xandikos). Updated on every calendar-list reading */
                            primary?: boolean;
                            providerCalendarId?: string;
                            /** @description The zone the provider states for the calendar, kept up to date under a chosen one; UTC where it states none (a CalDAV collection without calendar-timezone, every Xandikos collection) */
                            providerTimeZone?: string;
                            /** @description Whether calhub syncs the calendar and keeps a copy of it (default true). Off: not polled, no push channel, no events held (reading or writing them is 409 CALENDAR_NOT_SYNCED), counting for no busy time; PATCH switches it */
                            syncEnabled?: boolean;
                            /** @enum {string} */
                            syncStage: "idle" | "scheduled" | "running" | "failed";
                            /** @description IANA zone; all-day and floating times resolve in it (the busy index, free/busy, availability, expansion, the event listing's timeZone). The zone chosen through PATCH when timeZoneChosen, else the provider's */
                            timeZone: string;
                            /** @description timeZone was chosen through PATCH and is kept over the provider's through every calendar listing (false: it is the provider's) */
                            timeZoneChosen?: boolean;
                            /** Format: date-time */
                            updatedAt?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a calendar at its provider and in calhub, with its events and the mirror rules naming it, their copies in other calendars deleted as a rule DELETE deletes them (calendar.deleted)
         * @description Google calendars.delete, Microsoft 365 DELETE /me/calendars/{id}, CalDAV DELETE of the collection. A calendar the provider no longer has is only removed here (deletedAtProvider false). 409 CALENDAR_NOT_DELETABLE: the primary or default calendar, or one shared with the account (only its owner deletes it). 403 INSUFFICIENT_SCOPE: a Google grant with calendar.app.created only, for a calendar calhub did not create. 409 ACCOUNT_NEEDS_REAUTH, 502 PROVIDER_REFUSED and 503 PROVIDER_UNAVAILABLE carry the provider's answer; nothing is removed then.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deletedAtProvider: boolean;
                            id: string;
                            mirrorRulesRemoved: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Rename a calendar at its provider, choose whether it counts for its account's busy time or the zone calhub reads it in, or switch its sync off or on
         * @description name: renamed at the provider (Google calendars.patch, Microsoft 365 PATCH /me/calendars/{id}, CalDAV PROPPATCH displayname), then here; a control character other than tab, line feed and carriage return is 400 INVALID_TEXT (nothing is sent). 409 CALENDAR_EXISTS: Microsoft 365 has a calendar of that name; 409 CALENDAR_READ_ONLY: a calendar shared with the account (only its owner renames it); 403 INSUFFICIENT_SCOPE: a Google grant with calendar.app.created only, for a calendar calhub did not create. countsForBusy true or false: whether free/busy and availability naming the account include this calendar (naming the calendar by id always does); null: back to the default by access. calhub's own setting, kept when the calendar list is read again. timeZone (an IANA name, or a Windows one as Microsoft 365 gives it; 400 ZONE_UNKNOWN otherwise): the zone calhub reads the calendar's all-day and floating times in, for a provider that states none or the wrong one (a CalDAV collection without calendar-timezone is read as UTC, and Xandikos keeps none); nothing is written to the provider, and free/busy and availability answer in it from the next request on. null: the provider's zone again. calhub's own setting, kept when the calendar list is read again. syncEnabled false: calhub stops syncing the calendar and removes its copy (events, with event.deleted for each; busy time; sync state; its push channel); the calendar stays listed. true: synced again from the start, as a new calendar is (event.created for each). 409 CALENDAR_MIRRORED: mirror rules name the calendar (delete them first); 409 WRITES_PENDING: local changes wait to be written to it, deletes the provider refused 3 times and parked (offered again after a wait) included. conflictPolicy (hub-wins | provider-wins | latest-wins | manual, as `calhub calendars policy --conflict`): how a field both sides changed is settled from the next sync on; calhub's own setting, nothing written to the provider, no calendar.updated. dropParkedDeletes true (with syncEnabled false only, 400 otherwise): switch off though parked deletes wait; their events stay at the provider for good (changes still tried refuse the switch all the same). Several fields at once: those refusals are checked before anything changes, then the provider rename, then calhub's own settings in one step, so a refused request changes nothing and the tenant gets one calendar.updated naming every field that changed (data.changed).
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        conflictPolicy?: "hub-wins" | "provider-wins" | "latest-wins" | "manual";
                        countsForBusy?: boolean | null;
                        dropParkedDeletes?: boolean;
                        name?: string;
                        syncEnabled?: boolean;
                        timeZone?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            accessRole: "owner" | "writer" | "reader" | "freeBusyReader";
                            accountId: string;
                            color?: string | null;
                            /**
                             * @description How a field changed on both sides is settled (GET /v1/calendars/:id, the GET /v1/calendars items and PATCH answer it; PATCH sets it, as `calhub calendars policy --conflict`)
                             * @enum {string}
                             */
                            conflictPolicy?: "hub-wins" | "provider-wins" | "latest-wins" | "manual";
                            /** @description Whether its busy time counts when free/busy or availability names its account (a calendar named by id always counts). By default the account's own and writable calendars count and calendars shared with it to read (a colleague's, holidays, birthdays) do not; PATCH sets it */
                            countsForBusy?: boolean;
                            /** @description countsForBusy was set through PATCH (false: it follows the access) */
                            countsForBusyChosen?: boolean;
                            /** Format: date-time */
                            createdAt?: string;
                            failureCount?: number;
                            id: string;
                            /** @description The last sync failure as recorded (`CODE: message`, never a credential), for people; null once a sync succeeds */
                            lastError?: string | null;
                            /** @description The last sync failure's stable code (docs/errors.md); null when none failed since the last success, or the failure was not one of calhub's coded errors (a run reaped as stale) */
                            lastErrorCode?: string | null;
                            lastSuccessAt?: string | null;
                            /**
                             * Format: date-time
                             * @description Since when the provider's calendar list leaves this calendar out; it is removed (calendar.deleted) when a listing CALENDAR_GONE_AFTER_MS later still does. Null while listed
                             */
                            missingSince?: string | null;
                            name: string;
                            /** @description With name: the name the provider's calendar now has. It differs from name where the user's own label for the calendar (Google summaryOverride) keeps showing, in their Google Calendar and in calhub: the rename leaves that label alone */
                            nameAtProvider?: string;
                            /** @description Read-only: the provider's primary/default calendar of the account (Google calendarList primary, Microsoft 365 isDefaultCalendar, CalDAV the calendar the server's schedule-default-calendar-URL names; false for every CalDAV calendar when the server names none, as Radicale and Xandikos). Updated on every calendar-list reading */
                            primary?: boolean;
                            providerCalendarId?: string;
                            /** @description The zone the provider states for the calendar, kept up to date under a chosen one; UTC where it states none (a CalDAV collection without calendar-timezone, every Xandikos collection) */
                            providerTimeZone?: string;
                            /** @description Whether calhub syncs the calendar and keeps a copy of it (default true). Off: not polled, no push channel, no events held (reading or writing them is 409 CALENDAR_NOT_SYNCED), counting for no busy time; PATCH switches it */
                            syncEnabled?: boolean;
                            /** @enum {string} */
                            syncStage: "idle" | "scheduled" | "running" | "failed";
                            /** @description IANA zone; all-day and floating times resolve in it (the busy index, free/busy, availability, expansion, the event listing's timeZone). The zone chosen through PATCH when timeZoneChosen, else the provider's */
                            timeZone: string;
                            /** @description timeZone was chosen through PATCH and is kept over the provider's through every calendar listing (false: it is the provider's) */
                            timeZoneChosen?: boolean;
                            /** Format: date-time */
                            updatedAt?: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/calendars/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events of a calendar: expanded instances in a window, or the stored masters, singles and overrides
         * @description With timeMin and timeMax: instances overlapping the window, ordered by start (then event id). Without: stored rows in id order. Page with limit and the returned nextCursor: no item is repeated or skipped while events are added. Filters: updatedSince (the row changed at or after), status (confirmed, tentative, cancelled), q (in title, description or location).
         */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: event status (confirmed, tentative, cancelled) */
                    status?: string;
                    /** @description ISO-8601 instant; answers are always UTC with Z */
                    timeMax?: string;
                    /** @description ISO-8601 instant; answers are always UTC with Z */
                    timeMin?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: ({
                                allDay?: boolean;
                                /** @enum {string} */
                                availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                                /** @enum {string|null} */
                                busyStatus?: "busy" | "tentative" | "oof" | "workingElsewhere" | null;
                                calendarId: string;
                                /**
                                 * Format: date-time
                                 * @description the wall clock in timeZone with its offset
                                 */
                                end: string;
                                /** @description the stored row behind the instance: the master, or the override that replaced it */
                                eventId: string;
                                isOverride?: boolean;
                                location?: string | null;
                                /** @description the occurrence's original start (a UTC instant; a date for an all-day series, a wall clock for a floating one): with eventId it names the occurrence for PATCH and DELETE /v1/events/{eventId}/occurrences/{originalStartKey} */
                                originalStartKey: string;
                                /** @description The occurrence's event's (the override's, else the series'). Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                                provenance: {
                                    ruleId: string | null;
                                    sourceEventId: string;
                                } | null;
                                /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                                quarantined: boolean;
                                recurring?: boolean;
                                /**
                                 * Format: date-time
                                 * @description the wall clock in timeZone with its offset
                                 */
                                start: string;
                                /** @enum {string} */
                                status?: "confirmed" | "tentative" | "cancelled";
                                /** @description the event's zone (all-day and floating events: the calendar's) */
                                timeZone?: string;
                                title?: string | null;
                                uid: string;
                                /** @enum {string} */
                                visibility?: "default" | "public" | "private" | "confidential";
                            } | {
                                attendees?: {
                                    email: string;
                                    name?: string | null;
                                    optional?: boolean;
                                    /** @enum {string} */
                                    response?: "needsAction" | "accepted" | "declined" | "tentative";
                                    self?: boolean;
                                }[];
                                /** @enum {string} */
                                availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                                calendarId: string;
                                conferenceUrl?: string | null;
                                description?: string | null;
                                /**
                                 * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                                 * @example {
                                 *       "dateTime": "2026-12-07T09:00:00",
                                 *       "timeZone": "Europe/Berlin"
                                 *     }
                                 * @example {
                                 *       "date": "2026-12-07"
                                 *     }
                                 */
                                end: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                };
                                etag: string;
                                id: string;
                                location?: string | null;
                                organizer?: {
                                    email: string;
                                    name?: string | null;
                                } | null;
                                /**
                                 * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                                 * @example {
                                 *       "dateTime": "2026-12-07T09:00:00",
                                 *       "timeZone": "Europe/Berlin"
                                 *     }
                                 * @example {
                                 *       "date": "2026-12-07"
                                 *     }
                                 */
                                originalStart?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                } | null;
                                /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                                provenance?: {
                                    ruleId: string | null;
                                    sourceEventId: string;
                                } | null;
                                providerEventId?: string | null;
                                providerUpdatedAt?: string | null;
                                /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                                quarantined: boolean;
                                /**
                                 * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                                 * @example {
                                 *       "rrules": [
                                 *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                                 *       ],
                                 *       "exdates": [
                                 *         {
                                 *           "dateTime": "2026-12-09T09:00:00",
                                 *           "timeZone": "Europe/Berlin"
                                 *         }
                                 *       ]
                                 *     }
                                 */
                                recurrence?: {
                                    exdates?: {
                                        /** @description YYYY-MM-DD */
                                        date?: string;
                                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                        dateTime?: string;
                                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                        local?: string;
                                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                        timeZone?: string;
                                    }[];
                                    rdates?: {
                                        /** @description YYYY-MM-DD */
                                        date?: string;
                                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                        dateTime?: string;
                                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                        local?: string;
                                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                        timeZone?: string;
                                    }[];
                                    rrules?: string[];
                                } | null;
                                sequence?: number;
                                /**
                                 * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                                 * @example {
                                 *       "dateTime": "2026-12-07T09:00:00",
                                 *       "timeZone": "Europe/Berlin"
                                 *     }
                                 * @example {
                                 *       "date": "2026-12-07"
                                 *     }
                                 */
                                start: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                };
                                /** @enum {string} */
                                status?: "confirmed" | "tentative" | "cancelled";
                                /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                                thisAndFuture?: boolean;
                                /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                                timeNotes?: {
                                    /** @description start, end, recurrence.exdates.0, … */
                                    field: string;
                                    /** @enum {string} */
                                    kind: "nonexistent" | "ambiguous";
                                    /** @description the wall clock as written */
                                    requested: string;
                                    /** @description the time it was read as (wall clock with offset) */
                                    resolved: string;
                                    rule: string;
                                    timeZone: string;
                                }[];
                                title?: string | null;
                                uid: string;
                                /** @enum {string} */
                                visibility?: "default" | "public" | "private" | "confidential";
                            })[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an event (written to the provider through the outbox) */
        post: {
            parameters: {
                query?: {
                    /** @description auto: add the calendar provider's own video conference if the event has none: Google Meet on Google, Microsoft Teams on Microsoft 365 (400 CONFERENCE_UNSUPPORTED on CalDAV, which has none: set conferenceUrl instead, and for one occurrence). It is made when the change is written to the provider; its link then shows as conferenceUrl (the event.updated webhook says when). Not made for an invitation, which is the organizer's. */
                    conference?: "auto";
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description A canonical event (shared/model/event.ts). uid is generated when absent. */
            requestBody: {
                content: {
                    "application/json": {
                        attendees?: {
                            email: string;
                            name?: string | null;
                            optional?: boolean;
                            /** @enum {string} */
                            response?: "needsAction" | "accepted" | "declined" | "tentative";
                            self?: boolean;
                        }[];
                        /** @enum {string} */
                        availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                        conferenceUrl?: string | null;
                        description?: string | null;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        end: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        location?: string | null;
                        organizer?: {
                            email: string;
                            name?: string | null;
                        } | null;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        originalStart?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        } | null;
                        /**
                         * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                         * @example {
                         *       "rrules": [
                         *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                         *       ],
                         *       "exdates": [
                         *         {
                         *           "dateTime": "2026-12-09T09:00:00",
                         *           "timeZone": "Europe/Berlin"
                         *         }
                         *       ]
                         *     }
                         */
                        recurrence?: {
                            exdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rrules?: string[];
                        } | null;
                        sequence?: number;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        start: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        /** @enum {string} */
                        status?: "confirmed" | "tentative" | "cancelled";
                        title?: string | null;
                        uid?: string;
                        /** @enum {string} */
                        visibility?: "default" | "public" | "private" | "confidential";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendars/{id}/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Items of a calendar set aside because they cannot be stored (ITEMS_QUARANTINED), by remote id; q matches the remote id and message */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: reason code (UNSTORABLE_TEXT, UID_CLASH, RECURRENCE_UNEXPANDABLE, INVALID_DATA) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description The event kept as the last good copy of an item calhub had read (answered with "quarantined": true; its master when the item holds a series); null for an item never read */
                                eventId: string | null;
                                /** Format: date-time */
                                firstSeen: string;
                                /** Format: date-time */
                                lastSeen: string;
                                /** @description What is wrong with it, naming the field or the clashing object; never the item content */
                                message: string;
                                /**
                                 * @description UNSTORABLE_TEXT (a NUL or lone surrogate), UID_CLASH (another object holds the same UID and instance), RECURRENCE_UNEXPANDABLE, INVALID_DATA (the item cannot be mapped or breaks an event rule)
                                 * @enum {string}
                                 */
                                reason: "UNSTORABLE_TEXT" | "UID_CLASH" | "RECURRENCE_UNEXPANDABLE" | "INVALID_DATA";
                                /** @description The provider's id of the item (a Google or Graph event id, a CalDAV href) */
                                remoteId: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendars/{id}/writes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Local changes of a calendar not yet written to its provider (API writes, mirror copies), by UID, with the provider's answer when it refused one; q matches the UID and message */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: write state (pending, failing, parked) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description The write asks the provider for a video conference (conference=auto); dropped from the next edit once the provider refused it */
                                conference: boolean;
                                /** @description Why the calendar's last push did not write its changes (e.g. 'CONNECTOR_RATE_LIMITED: …' while the provider throttles it); null: no push has been held back since its last success, or the change was made after that push (it did not try it: a delete that replaced a waiting create shows no answer until it fails itself) */
                                lastAttempt: string | null;
                                /** @description lastAttempt's stable code (docs/errors.md, e.g. CONNECTOR_RATE_LIMITED); null with lastAttempt, or when it was not one of calhub's coded errors */
                                lastAttemptCode: string | null;
                                /** @description The provider's last answer when the write failed; for a pending write that waits because the event's item at the provider is quarantined, 'waits: …' naming the item */
                                message: string | null;
                                /**
                                 * Format: date-time
                                 * @description For a parked delete, when it is offered to the provider again; otherwise when the held-back push is tried next; null: not held back, or the queue backoff after a failure decides
                                 */
                                nextTryAt: string | null;
                                /**
                                 * @description put: create or update at the provider; delete: remove it there
                                 * @enum {string}
                                 */
                                op: "put" | "delete";
                                /** Format: date-time */
                                queuedAt: string;
                                /** @description Times the provider refused this content */
                                refusals: number;
                                /**
                                 * @description Who the write will tell the attendees (the widest its changes asked for; what a CalDAV server, which holds the series as one object, is written with); null: a change calhub made on its own, the provider default
                                 * @enum {string|null}
                                 */
                                sendUpdates: "none" | "externalOnly" | "all" | null;
                                /** @description Who the write of each changed occurrence will tell, where its changes said (Google and Graph write each occurrence apart, so a quiet change of one is not sent with a wider one of another); empty for a change calhub made on its own or queued before they were kept apart */
                                sendUpdatesByOccurrence: {
                                    /** @description The occurrence, by the start it replaces (as in /v1/events/{id}/occurrences/{key}); null: the series itself or a single event */
                                    occurrence: string | null;
                                    /** @enum {string} */
                                    sendUpdates: "none" | "externalOnly" | "all";
                                }[];
                                /**
                                 * @description pending: not tried yet; failing: the last try failed (message says why) and it is tried again on the next push; parked: the provider refused its content 3 times, so it is not tried again until the event changes; a parked delete (the event is gone and never changes again) is offered again at nextTryAt: 1 hour after its 3rd refusal, the wait doubling with each further refusal, at most a day
                                 * @enum {string}
                                 */
                                state: "pending" | "failing" | "parked";
                                /** @description The event (series) UID the change is for */
                                uid: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conflicts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recorded conflicts (both sides changed): base, both sides and the outcome; by id; q matches the UID and field names */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description true: only unresolved (parked) conflicts */
                    open?: boolean;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: outcome, or open (unresolved) | resolved; an outcome and open|resolved given together must both match (local, remote, merged, parked, deleted, recreated, open, resolved) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                base?: unknown;
                                calendarId: string;
                                createdAt: string;
                                fields: string[];
                                id: string;
                                local?: unknown;
                                /** @description When the hub-side change was made in calhub (ISO): what latest-wins compares. null: not recorded (delete conflicts, conflicts recorded before migration 0099) */
                                localChangedAt?: string | null;
                                /** @description local | remote | merged | parked | deleted | recreated */
                                outcome: string;
                                policy: string;
                                remote?: unknown;
                                /** @description The provider's own modification time of the version it held (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO. null: the provider gave none (latest-wins then counts it as changed when calhub read it, so the provider's side wins), or not recorded */
                                remoteChangedAt?: string | null;
                                remoteId?: string | null;
                                resolvedAt?: string | null;
                                uid: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conflicts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One recorded conflict: base, both sides, the outcome and whether it is resolved (404 NOT_FOUND: none of the tenant's) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            base?: unknown;
                            calendarId: string;
                            createdAt: string;
                            fields: string[];
                            id: string;
                            local?: unknown;
                            /** @description When the hub-side change was made in calhub (ISO): what latest-wins compares. null: not recorded (delete conflicts, conflicts recorded before migration 0099) */
                            localChangedAt?: string | null;
                            /** @description local | remote | merged | parked | deleted | recreated */
                            outcome: string;
                            policy: string;
                            remote?: unknown;
                            /** @description The provider's own modification time of the version it held (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO. null: the provider gave none (latest-wins then counts it as changed when calhub read it, so the provider's side wins), or not recorded */
                            remoteChangedAt?: string | null;
                            remoteId?: string | null;
                            resolvedAt?: string | null;
                            uid: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conflicts/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve a parked conflict: the hub side (local) or the provider side (remote) of the fields in conflict, with both sides' other changes kept and written back
         * @description take local writes the hub's side again, which the manual policy reverted while the conflict was parked: its time may have been booked since. When the hub's side was written with ifFree (ifFreeCalendarIds, ifFreeAccountIds), or this request asks it, its time is checked as that write's was (only the time it newly takes) and a slot taken meanwhile is 409 SLOT_TAKEN, with nothing written and the conflict left parked. take remote takes no new time and is never checked. A conflict resolved already (by an operator, or recorded resolved: every outcome but parked) is 409 CONFLICT_ALREADY_RESOLVED, nothing written.
         */
        post: {
            parameters: {
                query?: {
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of the change the resolution writes (take local: the hub's side moved back, say), as sendUpdates on event writes. Absent: the provider's own default (Google: nobody; Microsoft 365 sends meeting messages anyway; CalDAV: the server schedules if it does). */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        take: "local" | "remote";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            base?: unknown;
                            calendarId: string;
                            createdAt: string;
                            fields: string[];
                            id: string;
                            local?: unknown;
                            /** @description When the hub-side change was made in calhub (ISO): what latest-wins compares. null: not recorded (delete conflicts, conflicts recorded before migration 0099) */
                            localChangedAt?: string | null;
                            /** @description local | remote | merged | parked | deleted | recreated */
                            outcome: string;
                            policy: string;
                            remote?: unknown;
                            /** @description The provider's own modification time of the version it held (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO. null: the provider gave none (latest-wins then counts it as changed when calhub read it, so the provider's side wins), or not recorded */
                            remoteChangedAt?: string | null;
                            remoteId?: string | null;
                            resolvedAt?: string | null;
                            uid: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/connect/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A hosted connect page for the tenant's user
         * @description The page cannot be shown in a frame (frame-ancestors 'none'): send the user to its url by redirect, or open it in a popup or new tab.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "freebusy" | "read" | "readwrite";
                        /** @description reconnect this account (after needs_reauth) */
                        accountId?: string;
                        /** @description the product the user connects to, as the hosted page names it ("Connect your calendar to …", and who is given the password on the CalDAV form): plain text on one line, shown escaped. Absent: the tenant's name */
                        appName?: string;
                        loginHint?: string;
                        /** @description where the user's browser is sent back; must be on the tenant's allow-list */
                        redirectUri: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            /** @description names the session (not its secret): the page's redirect carries it as connectSession; check it is one you made for the signed-in user */
                            id: string;
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One stored event (master, single or override) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an event */
        delete: {
            parameters: {
                query?: {
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an event */
        patch: {
            parameters: {
                query?: {
                    /** @description auto: add the calendar provider's own video conference if the event has none: Google Meet on Google, Microsoft Teams on Microsoft 365 (400 CONFERENCE_UNSUPPORTED on CalDAV, which has none: set conferenceUrl instead, and for one occurrence). It is made when the change is written to the provider; its link then shows as conferenceUrl (the event.updated webhook says when). Not made for an invitation, which is the organizer's. */
                    conference?: "auto";
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            /** @description Fields of a canonical event (shared/model/event.ts): the given ones replace the stored ones. uid and originalStart are calhub's. */
            requestBody: {
                content: {
                    "application/json": {
                        attendees?: {
                            email: string;
                            name?: string | null;
                            optional?: boolean;
                            /** @enum {string} */
                            response?: "needsAction" | "accepted" | "declined" | "tentative";
                            self?: boolean;
                        }[];
                        /** @enum {string} */
                        availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                        conferenceUrl?: string | null;
                        description?: string | null;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        end?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        location?: string | null;
                        organizer?: {
                            email: string;
                            name?: string | null;
                        } | null;
                        /**
                         * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                         * @example {
                         *       "rrules": [
                         *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                         *       ],
                         *       "exdates": [
                         *         {
                         *           "dateTime": "2026-12-09T09:00:00",
                         *           "timeZone": "Europe/Berlin"
                         *         }
                         *       ]
                         *     }
                         */
                        recurrence?: {
                            exdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rrules?: string[];
                        } | null;
                        sequence?: number;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        start?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        /** @enum {string} */
                        status?: "confirmed" | "tentative" | "cancelled";
                        title?: string | null;
                        /** @enum {string} */
                        visibility?: "default" | "public" | "private" | "confidential";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/events/{id}/occurrences/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One occurrence of a series, as the instance listing shows it
         * @description ETag: what a PATCH or DELETE of this occurrence sends as If-Match (the override's etag, or the master's for an occurrence without one). A cancelled override is answered too, with status cancelled. 404 as for PATCH.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            allDay?: boolean;
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            /** @enum {string|null} */
                            busyStatus?: "busy" | "tentative" | "oof" | "workingElsewhere" | null;
                            calendarId: string;
                            /**
                             * Format: date-time
                             * @description the wall clock in timeZone with its offset
                             */
                            end: string;
                            /** @description the stored row behind the instance: the master, or the override that replaced it */
                            eventId: string;
                            isOverride?: boolean;
                            location?: string | null;
                            /** @description the occurrence's original start (a UTC instant; a date for an all-day series, a wall clock for a floating one): with eventId it names the occurrence for PATCH and DELETE /v1/events/{eventId}/occurrences/{originalStartKey} */
                            originalStartKey: string;
                            /** @description The occurrence's event's (the override's, else the series'). Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            recurring?: boolean;
                            /**
                             * Format: date-time
                             * @description the wall clock in timeZone with its offset
                             */
                            start: string;
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description the event's zone (all-day and floating events: the calendar's) */
                            timeZone?: string;
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Cancel one occurrence of a series (this event only)
         * @description An occurrence with an override: the override is cancelled. Otherwise the master gains an EXDATE for it. The rest of the series stays. If-Match as for PATCH.
         */
        delete: {
            parameters: {
                query?: {
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change one occurrence of a series (this event only)
         * @description id is the series (its master, or any override of it). The occurrence keeps its original start; the answer is its override, made from the master at that occurrence with the body applied when it had none. If-Match: the etag of the override, or of the master for an occurrence without one. 404 when the series has no such occurrence (off its rule, or removed by an EXDATE); a cancelled override is still there to change. ifFree: only this occurrence's new time is checked, and the series' other occurrences count as busy time (moving one onto another is 409 SLOT_TAKEN).
         */
        patch: {
            parameters: {
                query?: {
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            /** @description Fields of a canonical event (shared/model/event.ts): the given ones replace the occurrence's. uid, originalStart and recurrence are the series'. */
            requestBody: {
                content: {
                    "application/json": {
                        attendees?: {
                            email: string;
                            name?: string | null;
                            optional?: boolean;
                            /** @enum {string} */
                            response?: "needsAction" | "accepted" | "declined" | "tentative";
                            self?: boolean;
                        }[];
                        /** @enum {string} */
                        availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                        conferenceUrl?: string | null;
                        description?: string | null;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        end?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        location?: string | null;
                        organizer?: {
                            email: string;
                            name?: string | null;
                        } | null;
                        sequence?: number;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        start?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        /** @enum {string} */
                        status?: "confirmed" | "tentative" | "cancelled";
                        title?: string | null;
                        /** @enum {string} */
                        visibility?: "default" | "public" | "private" | "confidential";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/events/{id}/occurrences/{key}/following": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel a series from one occurrence on (this and following events)
         * @description id is the series (its master, or any override of it) and key the occurrence's originalStartKey from the instance listing. The series' rules end just before that occurrence (RRULE UNTIL one second before its original start, a date the day before for an all-day series; a COUNT becomes the number of occurrences before it), and its overrides, EXDATEs and RDATEs from there on leave it. Cut at the first occurrence of the series (none stands before it), this is the same as the same request on /v1/events/{id}. If-Match: the master's etag. 404 when the series has no such occurrence; 400 NO_FOLLOWING_OCCURRENCE when it has none at or after key (it ended before). sendUpdates: who the provider writes tell (both series' writes). The store holds both series' changes at once (one transaction); each is then written to the provider through the outbox. The occurrences before it stay as they are.
         */
        delete: {
            parameters: {
                query?: {
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a series from one occurrence on (this and following events)
         * @description id is the series (its master, or any override of it) and key the occurrence's originalStartKey from the instance listing. The series' rules end just before that occurrence (RRULE UNTIL one second before its original start, a date the day before for an all-day series; a COUNT becomes the number of occurrences before it), and its overrides, EXDATEs and RDATEs from there on leave it. Cut at the first occurrence of the series (none stands before it), this is the same as the same request on /v1/events/{id}. If-Match: the master's etag. 404 when the series has no such occurrence; 400 NO_FOLLOWING_OCCURRENCE when it has none at or after key (it ended before). sendUpdates: who the provider writes tell (both series' writes). The store holds both series' changes at once (one transaction); each is then written to the provider through the outbox. The rest becomes a new series (a new uid and new event ids) starting at the occurrence with the body applied: the master's content there (attendees and organizer included), the rest of the rules, the later EXDATEs, and the later overrides carried as a change to all events carries them (moved with the series, taking the new title, location, … where they had not changed it). The answer is the new series' master.
         */
        patch: {
            parameters: {
                query?: {
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            /** @description Fields of a canonical event: the given ones replace those of the master's content at the occurrence. start and end are the occurrence's new times (the series moves by as much); recurrence replaces the rest of the rules (absent: the rules as they were, a COUNT less the occurrences before; the same UNTIL), null makes the occurrence a single event. uid and originalStart are calhub's. */
            requestBody: {
                content: {
                    "application/json": {
                        attendees?: {
                            email: string;
                            name?: string | null;
                            optional?: boolean;
                            /** @enum {string} */
                            response?: "needsAction" | "accepted" | "declined" | "tentative";
                            self?: boolean;
                        }[];
                        /** @enum {string} */
                        availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                        conferenceUrl?: string | null;
                        description?: string | null;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        end?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        location?: string | null;
                        organizer?: {
                            email: string;
                            name?: string | null;
                        } | null;
                        /**
                         * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                         * @example {
                         *       "rrules": [
                         *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                         *       ],
                         *       "exdates": [
                         *         {
                         *           "dateTime": "2026-12-09T09:00:00",
                         *           "timeZone": "Europe/Berlin"
                         *         }
                         *       ]
                         *     }
                         */
                        recurrence?: {
                            exdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rdates?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            }[];
                            rrules?: string[];
                        } | null;
                        sequence?: number;
                        /**
                         * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        start?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        };
                        /** @enum {string} */
                        status?: "confirmed" | "tentative" | "cancelled";
                        title?: string | null;
                        /** @enum {string} */
                        visibility?: "default" | "public" | "private" | "confidential";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/events/{id}/occurrences/{key}/rsvp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer one occurrence of an invited series
         * @description Sets the response of the attendee that is the calendar's owner (self) and writes it to the provider as it takes an answer: Google patches the invitee's copy, Microsoft 365 calls accept / tentativelyAccept / decline (where a decline takes the meeting off the calendar), CalDAV stores the PARTSTAT. sendUpdates=none answers without telling the organizer (Google, Microsoft 365). 400 NOT_INVITED when the owner is not an attendee or organizes the event (the message says which: the organizer does not RSVP). The answer is the occurrence's override, as a PATCH of the occurrence makes it. ifFree (and ifFreeCalendarIds, ifFreeAccountIds): accept only if no other busy time calhub holds overlaps the event, else 409 SLOT_TAKEN and nothing changes; a decline needs no free time. Only this occurrence's time is checked.
         */
        post: {
            parameters: {
                query?: {
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                    /** @description the occurrence's originalStartKey from the instance listing: a UTC instant (any RFC 3339 spelling), a date for an all-day series, a wall clock for a floating one */
                    key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The calendar owner's answer
                         * @enum {string}
                         */
                        response: "accepted" | "declined" | "tentative";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/rsvp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer an invitation
         * @description Sets the response of the attendee that is the calendar's owner (self) and writes it to the provider as it takes an answer: Google patches the invitee's copy, Microsoft 365 calls accept / tentativelyAccept / decline (where a decline takes the meeting off the calendar), CalDAV stores the PARTSTAT. sendUpdates=none answers without telling the organizer (Google, Microsoft 365). 400 NOT_INVITED when the owner is not an attendee or organizes the event (the message says which: the organizer does not RSVP). ifFree (and ifFreeCalendarIds, ifFreeAccountIds): accept only if no other busy time calhub holds overlaps the event, else 409 SLOT_TAKEN and nothing changes; a decline needs no free time.
         */
        post: {
            parameters: {
                query?: {
                    /** @description true: write the event only if its time is free, else 409 SLOT_TAKEN and nothing is written: no busy time calhub holds overlaps it in its own calendar (nor in ifFreeCalendarIds / ifFreeAccountIds). Checked inside the write with those calendars locked, so of two writes asking for the same time one gets it. Busy and free as free/busy counts them (workingElsewhere and free events take no time; touching is not overlapping); busy time is as of each calendar's last sync. A series is checked over the busy horizon. A change of an event is checked at the time it newly takes only (a retitle takes none; a move its new part); the event's own mirror copies never count against it. */
                    ifFree?: boolean;
                    /** @description comma-separated account ids: their calendars that count for their busy time, as free/busy names them, must be free too (implies ifFree); an account that stands for no such calendar is 409 NO_BUSY_CALENDARS */
                    ifFreeAccountIds?: string;
                    /** @description comma-separated calendar ids whose busy time must not overlap the event either (implies ifFree) */
                    ifFreeCalendarIds?: string;
                    /** @description Who the provider tells the event's attendees of this change (invitation, update or cancellation); default all. Google: as its sendUpdates (externalOnly: guests who are not Google Calendar users). Microsoft 365 always sends meeting messages for an event with attendees, whatever this says. CalDAV: none writes SCHEDULE-AGENT=CLIENT so a scheduling server sends nothing; externalOnly is all; a server without scheduling sends nothing either way. Changes pushed together take the widest: a create that asked for invitations still sends them when a quiet edit follows before the push. */
                    sendUpdates?: "none" | "externalOnly" | "all";
                };
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                    /** @description the etag read earlier (quoted, as the ETag header gives it), or *; 412 PRECONDITION_FAILED when the event changed */
                    "if-match"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description The calendar owner's answer
                         * @enum {string}
                         */
                        response: "accepted" | "declined" | "tentative";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /** @description true: the event's item at the provider is quarantined (it could not be read: GET /v1/calendars/{id}/quarantine says why, by providerEventId), and this is calhub's last good copy of it, kept under the same id with its busy time and mirror copies. It may be stale. Writes to it (and to any event of its series) are refused with 409 EVENT_QUARANTINED until the item is readable again: then the event is updated in place and this is false again. Deleted at the provider, the event is deleted. */
                            quarantined: boolean;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            /** @description on create and patch answers: wall clocks read by the RFC 5545 DST rules ([] when none) */
                            timeNotes?: {
                                /** @description start, end, recurrence.exdates.0, … */
                                field: string;
                                /** @enum {string} */
                                kind: "nonexistent" | "ambiguous";
                                /** @description the wall clock as written */
                                requested: string;
                                /** @description the time it was read as (wall clock with offset) */
                                resolved: string;
                                rule: string;
                                timeZone: string;
                            }[];
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/freebusy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Busy time of calendars in a window, from the busy index
         * @description Spans are clipped to the window; overlapping spans of one status are joined. See docs/busy-policy.md. A calendar whose busy time may be incomplete (account needs reauthorization, disabled or in error; last sync failed or stopped) carries errors. While the store cannot be reached, a request naming only calendarIds (no explain) whose calendars this process answered within API_FREEBUSY_STALE_MAX_S is answered from its cache, with headers X-Calhub-Stale: store-unavailable and Age: seconds since the store last confirmed that busy time; otherwise 503 STORE_UNAVAILABLE.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        accountIds?: string[];
                        calendarIds?: string[];
                        /** @default false */
                        explain?: boolean;
                        /**
                         * Format: date-time
                         * @description ISO-8601 instant; answers are always UTC with Z
                         */
                        timeMax: string;
                        /**
                         * Format: date-time
                         * @description ISO-8601 instant; answers are always UTC with Z
                         */
                        timeMin: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description only when accountIds are named: each account with the calendars it stands for; one that stands for none carries NO_BUSY_CALENDARS (its busy time is unknown, not free) */
                            accounts?: {
                                accountId: string;
                                calendarIds: string[];
                                /** @description present when this stands for no calendar (none listed yet, or none counts for busy time): calhub holds no busy time for it, so it shows free throughout */
                                errors?: {
                                    /** @enum {string} */
                                    code: "NO_BUSY_CALENDARS";
                                    lastSyncedAt: null;
                                    message: string;
                                }[];
                            }[];
                            calendars: {
                                busy: {
                                    /**
                                     * Format: date-time
                                     * @description ISO-8601 instant; answers are always UTC with Z
                                     */
                                    end: string;
                                    events?: {
                                        id: string;
                                        /** @description null for private and confidential events */
                                        title: string | null;
                                        uid: string;
                                    }[];
                                    /**
                                     * Format: date-time
                                     * @description ISO-8601 instant; answers are always UTC with Z
                                     */
                                    start: string;
                                    /** @enum {string} */
                                    status: "busy" | "tentative" | "oof" | "workingElsewhere";
                                }[];
                                calendarId: string;
                                /** @description present when this calendar's busy time may be incomplete: its account needs reauthorization, is disabled or in error, its last sync failed or was stopped, or its sync is switched off (CALENDAR_NOT_SYNCED: none of its busy time is held); busy time is as of lastSyncedAt */
                                errors?: {
                                    /** @enum {string} */
                                    code: "ACCOUNT_NEEDS_REAUTH" | "ACCOUNT_DISABLED" | "ACCOUNT_ERROR" | "SYNC_FAILED" | "CALENDAR_FLAGGED" | "CALENDAR_NOT_SYNCED" | "ITEMS_QUARANTINED" | "BEYOND_HORIZON";
                                    /** Format: date-time */
                                    lastSyncedAt: string | null;
                                    message: string;
                                }[];
                            }[];
                            merged: {
                                /**
                                 * Format: date-time
                                 * @description ISO-8601 instant; answers are always UTC with Z
                                 */
                                end: string;
                                /**
                                 * Format: date-time
                                 * @description ISO-8601 instant; answers are always UTC with Z
                                 */
                                start: string;
                            }[];
                            /**
                             * Format: date-time
                             * @description ISO-8601 instant; answers are always UTC with Z
                             */
                            timeMax: string;
                            /**
                             * Format: date-time
                             * @description ISO-8601 instant; answers are always UTC with Z
                             */
                            timeMin: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/{provider}/app": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's own OAuth app (never its secret) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "google" | "microsoft";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description accounts connected through this client of the app (their refresh tokens work only with it) */
                            accounts: number;
                            clientId: string;
                            hasSecret: boolean;
                            /** @enum {string} */
                            provider: "google" | "microsoft";
                            /** @description clients this app was replaced from, kept (secret encrypted) while accounts connected through them remain, or a sign-in started with one may still come back: their grants keep refreshing, and such a sign-in finishes, through their own client; each is dropped when its last account is disconnected or reconnected. A kept client's secret is set with PUT /v1/oauth/{provider}/app/retired-clients/{clientId} */
                            retiredClients: {
                                accounts: number;
                                clientId: string;
                                hasSecret: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Set the tenant's own OAuth app for a provider (new connections use it) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "google" | "microsoft";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        clientId: string;
                        /** @description stored encrypted, never shown again; null for a public client */
                        clientSecret?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description accounts connected through this client of the app (their refresh tokens work only with it) */
                            accounts: number;
                            clientId: string;
                            hasSecret: boolean;
                            /** @enum {string} */
                            provider: "google" | "microsoft";
                            /** @description clients this app was replaced from, kept (secret encrypted) while accounts connected through them remain, or a sign-in started with one may still come back: their grants keep refreshing, and such a sign-in finishes, through their own client; each is dropped when its last account is disconnected or reconnected. A kept client's secret is set with PUT /v1/oauth/{provider}/app/retired-clients/{clientId} */
                            retiredClients: {
                                accounts: number;
                                clientId: string;
                                hasSecret: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /** Remove the tenant's own OAuth app (refused while accounts use it) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    provider: "google" | "microsoft";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/{provider}/app/retired-clients/{clientId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set a new secret for a replaced client of the tenant's app (one of retiredClients), kept for the accounts connected through it
         * @description 404 NOT_FOUND when the client is not one of the app's retiredClients; the current client's secret is set with PUT /v1/oauth/{provider}/app.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    clientId: string;
                    provider: "google" | "microsoft";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the replaced client's new secret (its old one leaked or expired); stored encrypted, never shown again; null for a public client */
                        clientSecret: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description accounts connected through this client of the app (their refresh tokens work only with it) */
                            accounts: number;
                            clientId: string;
                            hasSecret: boolean;
                            /** @enum {string} */
                            provider: "google" | "microsoft";
                            /** @description clients this app was replaced from, kept (secret encrypted) while accounts connected through them remain, or a sign-in started with one may still come back: their grants keep refreshing, and such a sign-in finishes, through their own client; each is dropped when its last account is disconnected or reconnected. A kept client's secret is set with PUT /v1/oauth/{provider}/app/retired-clients/{clientId} */
                            retiredClients: {
                                accounts: number;
                                clientId: string;
                                hasSecret: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/{provider}/authorize-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A consent URL for the tenant's user (PKCE, single-use state) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    provider: "google" | "microsoft";
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        access: "freebusy" | "read" | "readwrite";
                        /** @description reconnect this account (after needs_reauth) */
                        accountId?: string;
                        loginHint?: string;
                        /** @description where the user's browser is sent back; must be on the tenant's allow-list */
                        redirectUri: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth/redirect-uris": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's redirect-URI allow-list */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            uris: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Allow a redirect URI (exact match) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        uri: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            uris: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /** Remove a redirect URI */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        uri: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            uris: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Mirror rules, by id; updatedSince compares the creation time, q matches the calendar ids */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: mode (busy-block, full-copy) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description mode, twoWay and filters as stored (kept for older clients; the fields above are the same with their defaults) */
                                config: {
                                    [key: string]: unknown;
                                };
                                /** @description copies the rule holds now (both ways) */
                                copies: number;
                                createdAt: string;
                                filters: {
                                    /** @description leave out all-day events (default false) */
                                    skipAllDay: boolean;
                                    /** @description leave out events you declined (default false) */
                                    skipDeclined: boolean;
                                    /** @description leave out events shown as free (default true) */
                                    skipFree: boolean;
                                    /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                                    workingHours: {
                                        /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                        days?: number[];
                                        /** @description HH:mm */
                                        end: string;
                                        /** @description HH:mm */
                                        start: string;
                                        timeZone: string;
                                    } | null;
                                };
                                id: string;
                                /** @description the last run that created, updated or deleted a copy (runs with nothing to do leave it); null before one did */
                                lastChange: {
                                    at: string;
                                    created: number;
                                    deleted: number;
                                    updated: number;
                                } | null;
                                /** @description its last run, whether or not it had anything to do (a paused rule does not run): when it ended (the rule was last checked), the copies it created, updated and deleted, and the error that stopped it; null before its first run */
                                lastRun: {
                                    at: string;
                                    created: number;
                                    deleted: number;
                                    /** @description null when the run finished; else a stable code and a message (secrets removed) */
                                    error: {
                                        code: string;
                                        message: string;
                                    } | null;
                                    updated: number;
                                } | null;
                                /** @enum {string} */
                                mode: "busy-block" | "full-copy";
                                /** @description paused by a user (PATCH {"paused":true}); state tells whether it runs */
                                paused: boolean;
                                pausedAt?: string | null;
                                /**
                                 * @description why the rule is paused, as a stable code; null unless state is paused
                                 * @enum {string|null}
                                 */
                                pausedCode: "USER_PAUSED" | "ACCOUNT_DISABLED" | "CALENDAR_MISSING" | "CALENDAR_NOT_WRITABLE" | null;
                                /** @description why the rule is paused, naming the calendar and what would resume it */
                                pausedReason: string | null;
                                /** @description copies of the rule the target's provider refuses, by calendar and stable code: PROVIDER_CANNOT_RESTORE (an occurrence cancelled or deleted at the provider that it cannot bring back, asked for again on each run), COPY_SINGLES_CAPPED (a series the provider cannot hold as a series is copied as single events, and more of its occurrences fall in the window than are written: the message names the first left out), or the code of a refused write (CONNECTOR_UNSUPPORTED, CONNECTOR_INVALID_DATA, AUTH_INSUFFICIENT_SCOPE, …); empty when none. A refusal clears once a write of the copy gets through or the rule no longer asks for what was refused */
                                refusals: {
                                    calendarId: string;
                                    code: string;
                                    /** @description copies refused with this code (a copy with several refused occurrences counts once) */
                                    copies: number;
                                    /** @description the first refusal standing */
                                    firstAt: string;
                                    /** @description the latest */
                                    lastAt: string;
                                    /** @description the latest refusal's message (secrets removed) */
                                    message: string;
                                    /** @description how often they were written and refused */
                                    times: number;
                                }[];
                                sourceCalendarId: string;
                                /**
                                 * @description paused (pausedCode says why): paused by a user, an account of its calendars disabled, a calendar no longer listed by its provider, or a calendar the rule writes (its target; two-way, its source too) cannot be written (its account connected again with read or freebusy access, or read-only at the provider); it makes no copies and leaves those made as they are; all but USER_PAUSED resume by themselves. deleting: a DELETE is removing its copies
                                 * @enum {string}
                                 */
                                state: "active" | "paused" | "deleting";
                                targetCalendarId: string;
                                twoWay: boolean;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a mirror rule (busy-block or full-copy, filters, one- or two-way) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filters?: {
                            /** @description leave out all-day events (default false) */
                            skipAllDay?: boolean;
                            /** @description leave out events you declined (default false) */
                            skipDeclined?: boolean;
                            /** @description leave out events shown as free (default true) */
                            skipFree?: boolean;
                            /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                            workingHours?: {
                                /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                days?: number[];
                                /** @description HH:mm */
                                end: string;
                                /** @description HH:mm */
                                start: string;
                                timeZone: string;
                            } | null;
                        };
                        /** @enum {string} */
                        mode: "busy-block" | "full-copy";
                        sourceCalendarId: string;
                        targetCalendarId: string;
                        twoWay?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description mode, twoWay and filters as stored (kept for older clients; the fields above are the same with their defaults) */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description copies the rule holds now (both ways) */
                            copies: number;
                            createdAt: string;
                            filters: {
                                /** @description leave out all-day events (default false) */
                                skipAllDay: boolean;
                                /** @description leave out events you declined (default false) */
                                skipDeclined: boolean;
                                /** @description leave out events shown as free (default true) */
                                skipFree: boolean;
                                /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                                workingHours: {
                                    /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                    days?: number[];
                                    /** @description HH:mm */
                                    end: string;
                                    /** @description HH:mm */
                                    start: string;
                                    timeZone: string;
                                } | null;
                            };
                            id: string;
                            /** @description the last run that created, updated or deleted a copy (runs with nothing to do leave it); null before one did */
                            lastChange: {
                                at: string;
                                created: number;
                                deleted: number;
                                updated: number;
                            } | null;
                            /** @description its last run, whether or not it had anything to do (a paused rule does not run): when it ended (the rule was last checked), the copies it created, updated and deleted, and the error that stopped it; null before its first run */
                            lastRun: {
                                at: string;
                                created: number;
                                deleted: number;
                                /** @description null when the run finished; else a stable code and a message (secrets removed) */
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                updated: number;
                            } | null;
                            /** @enum {string} */
                            mode: "busy-block" | "full-copy";
                            /** @description paused by a user (PATCH {"paused":true}); state tells whether it runs */
                            paused: boolean;
                            pausedAt?: string | null;
                            /**
                             * @description why the rule is paused, as a stable code; null unless state is paused
                             * @enum {string|null}
                             */
                            pausedCode: "USER_PAUSED" | "ACCOUNT_DISABLED" | "CALENDAR_MISSING" | "CALENDAR_NOT_WRITABLE" | null;
                            /** @description why the rule is paused, naming the calendar and what would resume it */
                            pausedReason: string | null;
                            /** @description copies of the rule the target's provider refuses, by calendar and stable code: PROVIDER_CANNOT_RESTORE (an occurrence cancelled or deleted at the provider that it cannot bring back, asked for again on each run), COPY_SINGLES_CAPPED (a series the provider cannot hold as a series is copied as single events, and more of its occurrences fall in the window than are written: the message names the first left out), or the code of a refused write (CONNECTOR_UNSUPPORTED, CONNECTOR_INVALID_DATA, AUTH_INSUFFICIENT_SCOPE, …); empty when none. A refusal clears once a write of the copy gets through or the rule no longer asks for what was refused */
                            refusals: {
                                calendarId: string;
                                code: string;
                                /** @description copies refused with this code (a copy with several refused occurrences counts once) */
                                copies: number;
                                /** @description the first refusal standing */
                                firstAt: string;
                                /** @description the latest */
                                lastAt: string;
                                /** @description the latest refusal's message (secrets removed) */
                                message: string;
                                /** @description how often they were written and refused */
                                times: number;
                            }[];
                            sourceCalendarId: string;
                            /**
                             * @description paused (pausedCode says why): paused by a user, an account of its calendars disabled, a calendar no longer listed by its provider, or a calendar the rule writes (its target; two-way, its source too) cannot be written (its account connected again with read or freebusy access, or read-only at the provider); it makes no copies and leaves those made as they are; all but USER_PAUSED resume by themselves. deleting: a DELETE is removing its copies
                             * @enum {string}
                             */
                            state: "active" | "paused" | "deleting";
                            targetCalendarId: string;
                            twoWay: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A mirror rule: its state, why it is paused, and how many copies it holds */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description mode, twoWay and filters as stored (kept for older clients; the fields above are the same with their defaults) */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description copies the rule holds now (both ways) */
                            copies: number;
                            createdAt: string;
                            filters: {
                                /** @description leave out all-day events (default false) */
                                skipAllDay: boolean;
                                /** @description leave out events you declined (default false) */
                                skipDeclined: boolean;
                                /** @description leave out events shown as free (default true) */
                                skipFree: boolean;
                                /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                                workingHours: {
                                    /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                    days?: number[];
                                    /** @description HH:mm */
                                    end: string;
                                    /** @description HH:mm */
                                    start: string;
                                    timeZone: string;
                                } | null;
                            };
                            id: string;
                            /** @description the last run that created, updated or deleted a copy (runs with nothing to do leave it); null before one did */
                            lastChange: {
                                at: string;
                                created: number;
                                deleted: number;
                                updated: number;
                            } | null;
                            /** @description its last run, whether or not it had anything to do (a paused rule does not run): when it ended (the rule was last checked), the copies it created, updated and deleted, and the error that stopped it; null before its first run */
                            lastRun: {
                                at: string;
                                created: number;
                                deleted: number;
                                /** @description null when the run finished; else a stable code and a message (secrets removed) */
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                updated: number;
                            } | null;
                            /** @enum {string} */
                            mode: "busy-block" | "full-copy";
                            /** @description paused by a user (PATCH {"paused":true}); state tells whether it runs */
                            paused: boolean;
                            pausedAt?: string | null;
                            /**
                             * @description why the rule is paused, as a stable code; null unless state is paused
                             * @enum {string|null}
                             */
                            pausedCode: "USER_PAUSED" | "ACCOUNT_DISABLED" | "CALENDAR_MISSING" | "CALENDAR_NOT_WRITABLE" | null;
                            /** @description why the rule is paused, naming the calendar and what would resume it */
                            pausedReason: string | null;
                            /** @description copies of the rule the target's provider refuses, by calendar and stable code: PROVIDER_CANNOT_RESTORE (an occurrence cancelled or deleted at the provider that it cannot bring back, asked for again on each run), COPY_SINGLES_CAPPED (a series the provider cannot hold as a series is copied as single events, and more of its occurrences fall in the window than are written: the message names the first left out), or the code of a refused write (CONNECTOR_UNSUPPORTED, CONNECTOR_INVALID_DATA, AUTH_INSUFFICIENT_SCOPE, …); empty when none. A refusal clears once a write of the copy gets through or the rule no longer asks for what was refused */
                            refusals: {
                                calendarId: string;
                                code: string;
                                /** @description copies refused with this code (a copy with several refused occurrences counts once) */
                                copies: number;
                                /** @description the first refusal standing */
                                firstAt: string;
                                /** @description the latest */
                                lastAt: string;
                                /** @description the latest refusal's message (secrets removed) */
                                message: string;
                                /** @description how often they were written and refused */
                                times: number;
                            }[];
                            sourceCalendarId: string;
                            /**
                             * @description paused (pausedCode says why): paused by a user, an account of its calendars disabled, a calendar no longer listed by its provider, or a calendar the rule writes (its target; two-way, its source too) cannot be written (its account connected again with read or freebusy access, or read-only at the provider); it makes no copies and leaves those made as they are; all but USER_PAUSED resume by themselves. deleting: a DELETE is removing its copies
                             * @enum {string}
                             */
                            state: "active" | "paused" | "deleting";
                            targetCalendarId: string;
                            twoWay: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a mirror rule and the copies it made; the answer says how many copies are gone from their provider and how many are left
         * @description copiesRemoved: copies deleted at their provider by the time it answers. copiesPending: copies deleted in calhub whose provider delete still waits in the outbox, by calendar in pending (copies; reason: an account disabled or needing reauth, the worker's next push, the next sync of the calendar; parked: of them, deletes the provider refused 3 times for their content, offered again from retryAt, 1 hour after the 3rd refusal, the wait doubling with each further refusal, at most a day). Those copies are still at the provider until their delete is sent.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description copies deleted in calhub whose delete at their provider still waits: still there until it is sent */
                            copiesPending: number;
                            /** @description copies deleted at their provider by the time of the answer */
                            copiesRemoved: number;
                            id: string;
                            /** @description copiesPending by calendar, with why they wait; empty when every copy is gone from its provider */
                            pending: {
                                calendarId: string;
                                copies: number;
                                /** @description of copies, deletes the provider refused 3 times for their content: parked, offered again from retryAt */
                                parked: number;
                                /** @description why they wait (an account disabled or needing reauth, a push to come, refused and parked with the provider's answer) */
                                reason: string;
                                /**
                                 * Format: date-time
                                 * @description when the first parked delete is offered again; null when none is parked
                                 */
                                retryAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Pause or resume a mirror rule, or change its filters (each one given replaces the rule's). Paused: no copies written, those made kept as they are; resumed or refiltered: its next pass brings the copies in line. Its calendars, mode and twoWay cannot change: delete it and create another */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filters?: {
                            /** @description leave out all-day events (default false) */
                            skipAllDay?: boolean;
                            /** @description leave out events you declined (default false) */
                            skipDeclined?: boolean;
                            /** @description leave out events shown as free (default true) */
                            skipFree?: boolean;
                            /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                            workingHours?: {
                                /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                days?: number[];
                                /** @description HH:mm */
                                end: string;
                                /** @description HH:mm */
                                start: string;
                                timeZone: string;
                            } | null;
                        };
                        paused?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description mode, twoWay and filters as stored (kept for older clients; the fields above are the same with their defaults) */
                            config: {
                                [key: string]: unknown;
                            };
                            /** @description copies the rule holds now (both ways) */
                            copies: number;
                            createdAt: string;
                            filters: {
                                /** @description leave out all-day events (default false) */
                                skipAllDay: boolean;
                                /** @description leave out events you declined (default false) */
                                skipDeclined: boolean;
                                /** @description leave out events shown as free (default true) */
                                skipFree: boolean;
                                /** @description copy only events starting within these hours, start before end (default null: any time); an end at or before the start matches nothing and is refused (400 WORKING_HOURS_INVALID) */
                                workingHours: {
                                    /** @description ISO weekdays, 1 = Monday (default 1–5) */
                                    days?: number[];
                                    /** @description HH:mm */
                                    end: string;
                                    /** @description HH:mm */
                                    start: string;
                                    timeZone: string;
                                } | null;
                            };
                            id: string;
                            /** @description the last run that created, updated or deleted a copy (runs with nothing to do leave it); null before one did */
                            lastChange: {
                                at: string;
                                created: number;
                                deleted: number;
                                updated: number;
                            } | null;
                            /** @description its last run, whether or not it had anything to do (a paused rule does not run): when it ended (the rule was last checked), the copies it created, updated and deleted, and the error that stopped it; null before its first run */
                            lastRun: {
                                at: string;
                                created: number;
                                deleted: number;
                                /** @description null when the run finished; else a stable code and a message (secrets removed) */
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                updated: number;
                            } | null;
                            /** @enum {string} */
                            mode: "busy-block" | "full-copy";
                            /** @description paused by a user (PATCH {"paused":true}); state tells whether it runs */
                            paused: boolean;
                            pausedAt?: string | null;
                            /**
                             * @description why the rule is paused, as a stable code; null unless state is paused
                             * @enum {string|null}
                             */
                            pausedCode: "USER_PAUSED" | "ACCOUNT_DISABLED" | "CALENDAR_MISSING" | "CALENDAR_NOT_WRITABLE" | null;
                            /** @description why the rule is paused, naming the calendar and what would resume it */
                            pausedReason: string | null;
                            /** @description copies of the rule the target's provider refuses, by calendar and stable code: PROVIDER_CANNOT_RESTORE (an occurrence cancelled or deleted at the provider that it cannot bring back, asked for again on each run), COPY_SINGLES_CAPPED (a series the provider cannot hold as a series is copied as single events, and more of its occurrences fall in the window than are written: the message names the first left out), or the code of a refused write (CONNECTOR_UNSUPPORTED, CONNECTOR_INVALID_DATA, AUTH_INSUFFICIENT_SCOPE, …); empty when none. A refusal clears once a write of the copy gets through or the rule no longer asks for what was refused */
                            refusals: {
                                calendarId: string;
                                code: string;
                                /** @description copies refused with this code (a copy with several refused occurrences counts once) */
                                copies: number;
                                /** @description the first refusal standing */
                                firstAt: string;
                                /** @description the latest */
                                lastAt: string;
                                /** @description the latest refusal's message (secrets removed) */
                                message: string;
                                /** @description how often they were written and refused */
                                times: number;
                            }[];
                            sourceCalendarId: string;
                            /**
                             * @description paused (pausedCode says why): paused by a user, an account of its calendars disabled, a calendar no longer listed by its provider, or a calendar the rule writes (its target; two-way, its source too) cannot be written (its account connected again with read or freebusy access, or read-only at the provider); it makes no copies and leaves those made as they are; all but USER_PAUSED resume by themselves. deleting: a DELETE is removing its copies
                             * @enum {string}
                             */
                            state: "active" | "paused" | "deleting";
                            targetCalendarId: string;
                            twoWay: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook endpoints of this tenant, by id; q matches the URL and description */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: endpoint status (active, disabled) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description true when `events` holds `*`: it receives every event type */
                                allEvents: boolean;
                                createdAt: string;
                                description?: string | null;
                                /** Format: date-time */
                                disabledAt?: string | null;
                                /** @description Why deliveries stopped: disabled by the tenant, the receiver answered 410 Gone, or the 3-day retry window ran out; cleared by PATCH enabled=true or a replay */
                                disabledReason?: string | null;
                                /** @description The event types it receives, as registered; `["*"]` is every type, including ones a later calhub adds */
                                events: string[];
                                /** @description Delivery health, kept per endpoint: while `failing`, nothing goes to it before `nextRetryAt`, then one attempt (a probe) at a time; the probe's success makes it healthy and sends every calendar's messages again */
                                health: {
                                    /** @description backoff steps since the last success (attempts overlapping one outage count once); 0 when healthy */
                                    consecutiveFailures: number;
                                    /**
                                     * Format: date-time
                                     * @description the first failure of the current outage; null when healthy
                                     */
                                    failingSince: string | null;
                                    /** @description its error: `HTTP <status>` (never the answer body), or what failed (timeout, connection, DNS, SSRF guard, redirect) */
                                    lastError: string | null;
                                    /**
                                     * Format: date-time
                                     * @description the last failed attempt, kept after recovery
                                     */
                                    lastErrorAt: string | null;
                                    /** @description its HTTP status (null: no answer, a redirect refused, an unreadable secret) */
                                    lastErrorStatus: number | null;
                                    /**
                                     * Format: date-time
                                     * @description while failing: when the next probe may go
                                     */
                                    nextRetryAt: string | null;
                                    /** @enum {string} */
                                    state: "healthy" | "failing";
                                };
                                id: string;
                                /** @description messages owed to it (pending deliveries), counted up to 10000 */
                                pendingMessages: number;
                                /** @description true: it owes at least 10000 (the count stops there) */
                                pendingMessagesCapped: boolean;
                                /**
                                 * Format: date-time
                                 * @description during a secret rotation's overlap (POST /v1/webhooks/{id}/rotate-secret): until when the replaced secret still signs deliveries beside the new one; null when only the current secret signs (no rotation, its overlap over, or retired early)
                                 */
                                previousSecretValidUntil: string | null;
                                /** @enum {string} */
                                status: "active" | "disabled";
                                updatedAt: string;
                                url: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Register an endpoint for signed webhooks; the signing secret is in this answer only */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        events: ("event.created" | "event.updated" | "event.deleted" | "event.quarantined" | "event.restored" | "calendar.created" | "calendar.updated" | "calendar.deleted" | "account.connected" | "account.updated" | "account.needs_reauth" | "account.disconnected" | "sync.failed" | "sync.recovered" | "conflict.parked" | "conflict.recorded" | "*")[];
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description true when `events` holds `*`: it receives every event type */
                            allEvents: boolean;
                            createdAt: string;
                            description?: string | null;
                            /** Format: date-time */
                            disabledAt?: string | null;
                            /** @description Why deliveries stopped: disabled by the tenant, the receiver answered 410 Gone, or the 3-day retry window ran out; cleared by PATCH enabled=true or a replay */
                            disabledReason?: string | null;
                            /** @description The event types it receives, as registered; `["*"]` is every type, including ones a later calhub adds */
                            events: string[];
                            /** @description Delivery health, kept per endpoint: while `failing`, nothing goes to it before `nextRetryAt`, then one attempt (a probe) at a time; the probe's success makes it healthy and sends every calendar's messages again */
                            health: {
                                /** @description backoff steps since the last success (attempts overlapping one outage count once); 0 when healthy */
                                consecutiveFailures: number;
                                /**
                                 * Format: date-time
                                 * @description the first failure of the current outage; null when healthy
                                 */
                                failingSince: string | null;
                                /** @description its error: `HTTP <status>` (never the answer body), or what failed (timeout, connection, DNS, SSRF guard, redirect) */
                                lastError: string | null;
                                /**
                                 * Format: date-time
                                 * @description the last failed attempt, kept after recovery
                                 */
                                lastErrorAt: string | null;
                                /** @description its HTTP status (null: no answer, a redirect refused, an unreadable secret) */
                                lastErrorStatus: number | null;
                                /**
                                 * Format: date-time
                                 * @description while failing: when the next probe may go
                                 */
                                nextRetryAt: string | null;
                                /** @enum {string} */
                                state: "healthy" | "failing";
                            };
                            id: string;
                            /** @description messages owed to it (pending deliveries), counted up to 10000 */
                            pendingMessages: number;
                            /** @description true: it owes at least 10000 (the count stops there) */
                            pendingMessagesCapped: boolean;
                            /**
                             * Format: date-time
                             * @description during a secret rotation's overlap (POST /v1/webhooks/{id}/rotate-secret): until when the replaced secret still signs deliveries beside the new one; null when only the current secret signs (no rotation, its overlap over, or retired early)
                             */
                            previousSecretValidUntil: string | null;
                            /** @description whsec_…: verify webhook-signature with it (Standard Webhooks) */
                            secret: string;
                            /** @enum {string} */
                            status: "active" | "disabled";
                            updatedAt: string;
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint: its health (failing since, next retry, last error), the messages it owes, why it was disabled if it was */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description true when `events` holds `*`: it receives every event type */
                            allEvents: boolean;
                            createdAt: string;
                            description?: string | null;
                            /** Format: date-time */
                            disabledAt?: string | null;
                            /** @description Why deliveries stopped: disabled by the tenant, the receiver answered 410 Gone, or the 3-day retry window ran out; cleared by PATCH enabled=true or a replay */
                            disabledReason?: string | null;
                            /** @description The event types it receives, as registered; `["*"]` is every type, including ones a later calhub adds */
                            events: string[];
                            /** @description Delivery health, kept per endpoint: while `failing`, nothing goes to it before `nextRetryAt`, then one attempt (a probe) at a time; the probe's success makes it healthy and sends every calendar's messages again */
                            health: {
                                /** @description backoff steps since the last success (attempts overlapping one outage count once); 0 when healthy */
                                consecutiveFailures: number;
                                /**
                                 * Format: date-time
                                 * @description the first failure of the current outage; null when healthy
                                 */
                                failingSince: string | null;
                                /** @description its error: `HTTP <status>` (never the answer body), or what failed (timeout, connection, DNS, SSRF guard, redirect) */
                                lastError: string | null;
                                /**
                                 * Format: date-time
                                 * @description the last failed attempt, kept after recovery
                                 */
                                lastErrorAt: string | null;
                                /** @description its HTTP status (null: no answer, a redirect refused, an unreadable secret) */
                                lastErrorStatus: number | null;
                                /**
                                 * Format: date-time
                                 * @description while failing: when the next probe may go
                                 */
                                nextRetryAt: string | null;
                                /** @enum {string} */
                                state: "healthy" | "failing";
                            };
                            id: string;
                            /** @description messages owed to it (pending deliveries), counted up to 10000 */
                            pendingMessages: number;
                            /** @description true: it owes at least 10000 (the count stops there) */
                            pendingMessagesCapped: boolean;
                            /**
                             * Format: date-time
                             * @description during a secret rotation's overlap (POST /v1/webhooks/{id}/rotate-secret): until when the replaced secret still signs deliveries beside the new one; null when only the current secret signs (no rotation, its overlap over, or retired early)
                             */
                            previousSecretValidUntil: string | null;
                            /** @enum {string} */
                            status: "active" | "disabled";
                            updatedAt: string;
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove an endpoint and its delivery log */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an endpoint; enabled=true re-enables a disabled one, or retries a failing one now, and sends what it is owed */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        enabled?: boolean;
                        events?: ("event.created" | "event.updated" | "event.deleted" | "event.quarantined" | "event.restored" | "calendar.created" | "calendar.updated" | "calendar.deleted" | "account.connected" | "account.updated" | "account.needs_reauth" | "account.disconnected" | "sync.failed" | "sync.recovered" | "conflict.parked" | "conflict.recorded" | "*")[];
                        url?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description true when `events` holds `*`: it receives every event type */
                            allEvents: boolean;
                            createdAt: string;
                            description?: string | null;
                            /** Format: date-time */
                            disabledAt?: string | null;
                            /** @description Why deliveries stopped: disabled by the tenant, the receiver answered 410 Gone, or the 3-day retry window ran out; cleared by PATCH enabled=true or a replay */
                            disabledReason?: string | null;
                            /** @description The event types it receives, as registered; `["*"]` is every type, including ones a later calhub adds */
                            events: string[];
                            /** @description Delivery health, kept per endpoint: while `failing`, nothing goes to it before `nextRetryAt`, then one attempt (a probe) at a time; the probe's success makes it healthy and sends every calendar's messages again */
                            health: {
                                /** @description backoff steps since the last success (attempts overlapping one outage count once); 0 when healthy */
                                consecutiveFailures: number;
                                /**
                                 * Format: date-time
                                 * @description the first failure of the current outage; null when healthy
                                 */
                                failingSince: string | null;
                                /** @description its error: `HTTP <status>` (never the answer body), or what failed (timeout, connection, DNS, SSRF guard, redirect) */
                                lastError: string | null;
                                /**
                                 * Format: date-time
                                 * @description the last failed attempt, kept after recovery
                                 */
                                lastErrorAt: string | null;
                                /** @description its HTTP status (null: no answer, a redirect refused, an unreadable secret) */
                                lastErrorStatus: number | null;
                                /**
                                 * Format: date-time
                                 * @description while failing: when the next probe may go
                                 */
                                nextRetryAt: string | null;
                                /** @enum {string} */
                                state: "healthy" | "failing";
                            };
                            id: string;
                            /** @description messages owed to it (pending deliveries), counted up to 10000 */
                            pendingMessages: number;
                            /** @description true: it owes at least 10000 (the count stops there) */
                            pendingMessagesCapped: boolean;
                            /**
                             * Format: date-time
                             * @description during a secret rotation's overlap (POST /v1/webhooks/{id}/rotate-secret): until when the replaced secret still signs deliveries beside the new one; null when only the current secret signs (no rotation, its overlap over, or retired early)
                             */
                            previousSecretValidUntil: string | null;
                            /** @enum {string} */
                            status: "active" | "disabled";
                            updatedAt: string;
                            url: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Delivery log of an endpoint, newest first: attempts, status, latency, next retry; updatedSince compares the last attempt, q matches the event type */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description page size, 1–1000 (default 100) */
                    limit?: number;
                    /** @description only items whose text contains this, case-insensitively */
                    q?: string;
                    /** @description only items in these states, comma-separated: delivery status (pending, delivered) */
                    status?: string;
                    /** @description only items changed at or after this instant */
                    updatedSince?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                attempts: number;
                                createdAt?: string;
                                deliveredAt?: string | null;
                                lastAttemptAt?: string | null;
                                /** @description why the last attempt failed: `HTTP 503: text/html, 1234 bytes` (the status, the answer's media type and size; never its text), a timeout, a refused connection, a redirect not followed */
                                lastError?: string | null;
                                /** @description HTTP status of the last attempt (null: no answer) */
                                lastStatus?: number | null;
                                latencyMs?: number | null;
                                /** @description the webhook-id header; receivers dedupe by it */
                                messageId: string;
                                /** @description pending: when it is tried next — for a message queued behind its stream's head, no earlier than the head's next attempt (a head in backoff holds the stream), and while the endpoint is failing no earlier than its next retry (`health.nextRetryAt`); null once delivered */
                                nextAttemptAt?: string | null;
                                /** @enum {string} */
                                status: "pending" | "delivered";
                                /** @description calendar or account id: order is kept within one stream */
                                stream?: string;
                                type: string;
                            }[];
                            /** @description pass as cursor for the next page; null on the last */
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send again every message since a time (delivered ones too: receivers dedupe by webhook-id); re-enables the endpoint */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        since: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            messages: number;
                            since: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/retire-previous-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the last rotation's overlap now: the secret it replaced stops signing at once (retired: false when none still signed) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            retired: boolean;
                            /** @description when the retired secret would have stopped signing; null when none was signing */
                            wouldHaveSignedUntil: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret (shown once); the old one keeps signing alongside it for 24 hours. Again within those 24 hours: 409 WEBHOOK_ROTATION_IN_PROGRESS unless force */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description rotate although the last rotation's 24 hours are not over: its replaced secret stops signing at once (a leaked secret) */
                        force?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            previousSecretValidUntil: string;
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a signed webhook.test message now and report how the endpoint answered; an answer 410 Gone disables the endpoint, as a delivery's does */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Makes the request safe to retry: the same key and request within 24 h answer the first answer again without repeating the write; the same key with another request answers 409 IDEMPOTENCY_KEY_REUSED. */
                    "idempotency-key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            disabledReason?: string | null;
                            /** @description the endpoint is disabled after this test: a 410 Gone disables it, as for a delivery */
                            endpointDisabled: boolean;
                            /** @description why it failed: the status with the answer's media type and size, a timeout, a refused connection; never the answer's text */
                            error?: string | null;
                            latencyMs?: number;
                            messageId: string;
                            ok: boolean;
                            status?: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                414: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        /** @description The API key's request quota: the token bucket's size (API_RATE_LIMIT_BURST). draft-ietf-httpapi-ratelimit-headers-06. */
                        "RateLimit-Limit"?: number;
                        /** @description The quota and its window: `<burst>;w=<seconds the bucket takes to refill>`. */
                        "RateLimit-Policy"?: string;
                        /** @description Requests this key may still make at once, after this one (as this server process counted it). */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the quota is full again (it refills at API_RATE_LIMIT_PER_SEC). */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                431: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The store cannot be reached (STORE_UNAVAILABLE), or a provider (PROVIDER_UNAVAILABLE, DNS_UNAVAILABLE) */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying (RFC 9110 §10.2.3). Always sent with 429; with 503 when the store cannot be reached (STORE_UNAVAILABLE), not with PROVIDER_UNAVAILABLE or DNS_UNAVAILABLE. */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /** @enum {string} */
                code: "UNAUTHENTICATED" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "INVALID_REQUEST" | "VALIDATION_FAILED" | "INVALID_TEXT" | "RRULE_INVALID" | "RRULE_TOO_LARGE" | "DATE_INVALID" | "ZONE_UNKNOWN" | "END_BEFORE_START" | "INVALID_WINDOW" | "WINDOW_TOO_LARGE" | "TOO_MANY_CALENDARS" | "TOO_MANY_PARTICIPANTS" | "WORKING_HOURS_INVALID" | "INVALID_CURSOR" | "PAYLOAD_TOO_LARGE" | "URI_TOO_LONG" | "HEADERS_TOO_LARGE" | "REQUEST_TIMEOUT" | "UNSUPPORTED_MEDIA_TYPE" | "PRECONDITION_FAILED" | "CALENDAR_READ_ONLY" | "ACCOUNT_READ_ONLY" | "CONFERENCE_UNSUPPORTED" | "OCCURRENCE_OUT_OF_ORDER" | "NO_FOLLOWING_OCCURRENCE" | "ORGANIZER_UNKNOWN" | "NOT_INVITED" | "INSUFFICIENT_SCOPE" | "CREDENTIALS_REJECTED" | "URL_NOT_ALLOWED" | "CALENDAR_EXISTS" | "CALENDAR_NOT_DELETABLE" | "CALENDAR_NOT_SYNCED" | "CALENDAR_MIRRORED" | "RULE_EXISTS" | "WRITES_PENDING" | "WEBHOOK_ROTATION_IN_PROGRESS" | "SLOT_TAKEN" | "CONFLICT_ALREADY_RESOLVED" | "NO_BUSY_CALENDARS" | "TENANT_NAME_TAKEN" | "EVENT_QUARANTINED" | "ACCOUNT_NEEDS_REAUTH" | "PROVIDER_REFUSED" | "PROVIDER_UNAVAILABLE" | "DNS_UNAVAILABLE" | "IDEMPOTENCY_KEY_REUSED" | "IDEMPOTENCY_KEY_IN_USE" | "OAUTH_APP_IN_USE" | "RATE_LIMITED" | "REDIRECT_URI_NOT_ALLOWED" | "PROVIDER_NOT_CONFIGURED" | "WRITE_BUDGET_EXCEEDED" | "WRITES_UNAVAILABLE" | "STORE_UNAVAILABLE" | "STORE_FAILED" | "INTERNAL";
                message: string;
            };
        };
        /** @description The body of a `account.connected` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_account_connected: {
            data: {
                /**
                 * @description What the account is connected to do; null in messages from before access was recorded
                 * @enum {string|null}
                 */
                access?: "freebusy" | "read" | "readwrite" | null;
                accountId: string;
                /** @description true: the user connected an account that was connected already (same provider account, same tenant; the account id is the existing one, nothing else changed but its grant or password); false: a new account, or one reconnected after needs_reauth */
                alreadyConnected: boolean;
                /** @description account.updated only: what changed (email: the account's address was learnt from its calendar list, or a reconnect named another) */
                changed?: ("status" | "access" | "email")[];
                /** @description The account's address, as GET /v1/accounts/{id} email shows it when the message was composed (account.disconnected: the removed account's); null when calhub does not know it */
                email: string | null;
                externalId?: string;
                /**
                 * @description account.updated only: the access before the reconnect
                 * @enum {string|null}
                 */
                oldAccess?: "freebusy" | "read" | "readwrite" | null;
                /** @description account.updated only: the address before the change (the same as email unless changed names email; null when calhub did not know one) */
                oldEmail?: string | null;
                /** @description account.updated only: the status before the change (an account disabled or enabled again is updated, not disconnected or connected: its data stays) */
                oldStatus?: string;
                provider: string;
                /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required, invalid_grant (AADSTS70008)…), calhub's message, or an operator's for disabled. Not stable: read reasonCode */
                reason?: string | null;
                /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the grant was revoked, expired or refused at refresh; the user reconnects); null in every other status */
                reasonCode: string | null;
                /** @description active | needs_reauth | disabled | removed */
                status: string;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "account.connected";
        };
        /** @description The body of a `account.disconnected` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_account_disconnected: {
            data: {
                /**
                 * @description What the account is connected to do; null in messages from before access was recorded
                 * @enum {string|null}
                 */
                access?: "freebusy" | "read" | "readwrite" | null;
                accountId: string;
                /** @description account.updated only: what changed (email: the account's address was learnt from its calendar list, or a reconnect named another) */
                changed?: ("status" | "access" | "email")[];
                /** @description The account's address, as GET /v1/accounts/{id} email shows it when the message was composed (account.disconnected: the removed account's); null when calhub does not know it */
                email: string | null;
                externalId?: string;
                /**
                 * @description account.updated only: the access before the reconnect
                 * @enum {string|null}
                 */
                oldAccess?: "freebusy" | "read" | "readwrite" | null;
                /** @description account.updated only: the address before the change (the same as email unless changed names email; null when calhub did not know one) */
                oldEmail?: string | null;
                /** @description account.updated only: the status before the change (an account disabled or enabled again is updated, not disconnected or connected: its data stays) */
                oldStatus?: string;
                provider: string;
                /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required, invalid_grant (AADSTS70008)…), calhub's message, or an operator's for disabled. Not stable: read reasonCode */
                reason?: string | null;
                /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the grant was revoked, expired or refused at refresh; the user reconnects); null in every other status */
                reasonCode: string | null;
                /** @description active | needs_reauth | disabled | removed */
                status: string;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "account.disconnected";
        };
        /** @description The body of a `account.needs_reauth` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_account_needs_reauth: {
            data: {
                /**
                 * @description What the account is connected to do; null in messages from before access was recorded
                 * @enum {string|null}
                 */
                access?: "freebusy" | "read" | "readwrite" | null;
                accountId: string;
                /** @description account.updated only: what changed (email: the account's address was learnt from its calendar list, or a reconnect named another) */
                changed?: ("status" | "access" | "email")[];
                /** @description The account's address, as GET /v1/accounts/{id} email shows it when the message was composed (account.disconnected: the removed account's); null when calhub does not know it */
                email: string | null;
                externalId?: string;
                /**
                 * @description account.updated only: the access before the reconnect
                 * @enum {string|null}
                 */
                oldAccess?: "freebusy" | "read" | "readwrite" | null;
                /** @description account.updated only: the address before the change (the same as email unless changed names email; null when calhub did not know one) */
                oldEmail?: string | null;
                /** @description account.updated only: the status before the change (an account disabled or enabled again is updated, not disconnected or connected: its data stays) */
                oldStatus?: string;
                provider: string;
                /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required, invalid_grant (AADSTS70008)…), calhub's message, or an operator's for disabled. Not stable: read reasonCode */
                reason?: string | null;
                /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the grant was revoked, expired or refused at refresh; the user reconnects); null in every other status */
                reasonCode: string | null;
                /** @description active | needs_reauth | disabled | removed */
                status: string;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "account.needs_reauth";
        };
        /** @description The body of a `account.updated` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_account_updated: {
            data: {
                /**
                 * @description What the account is connected to do; null in messages from before access was recorded
                 * @enum {string|null}
                 */
                access?: "freebusy" | "read" | "readwrite" | null;
                accountId: string;
                /** @description account.updated only: what changed (email: the account's address was learnt from its calendar list, or a reconnect named another) */
                changed?: ("status" | "access" | "email")[];
                /** @description The account's address, as GET /v1/accounts/{id} email shows it when the message was composed (account.disconnected: the removed account's); null when calhub does not know it */
                email: string | null;
                externalId?: string;
                /**
                 * @description account.updated only: the access before the reconnect
                 * @enum {string|null}
                 */
                oldAccess?: "freebusy" | "read" | "readwrite" | null;
                /** @description account.updated only: the address before the change (the same as email unless changed names email; null when calhub did not know one) */
                oldEmail?: string | null;
                /** @description account.updated only: the status before the change (an account disabled or enabled again is updated, not disconnected or connected: its data stays) */
                oldStatus?: string;
                provider: string;
                /** @description Why the account is in its status, as text: the provider's own word for a refused grant (invalid_grant, interaction_required, invalid_grant (AADSTS70008)…), calhub's message, or an operator's for disabled. Not stable: read reasonCode */
                reason?: string | null;
                /** @description The stable code of why the account needs its user (docs/errors.md): AUTH_GRANT_REVOKED while needs_reauth (the grant was revoked, expired or refused at refresh; the user reconnects); null in every other status */
                reasonCode: string | null;
                /** @description active | needs_reauth | disabled | removed */
                status: string;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "account.updated";
        };
        /** @description The body of a `calendar.created` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_calendar_created: {
            data: {
                accountId: string;
                calendar: {
                    accessRole?: string;
                    color?: string | null;
                    countsForBusy?: boolean;
                    /** @description calendar.updated: set when the provider's calendar list left the calendar out (it is removed with calendar.deleted if a later listing still does), null when listed */
                    missingSince?: string | null;
                    name?: string;
                    /** @description The provider's primary/default calendar of the account (as GET /v1/calendars/{id} primary); a calendar-list reading that moves it names primary in changed */
                    primary?: boolean;
                    providerCalendarId?: string;
                    /** @description The provider's own zone (UTC where it states none); named in changed whenever it moves, under a chosen zone too (timeZone then stays) */
                    providerTimeZone?: string;
                    /** @description calendar.updated: false once the calendar's sync is switched off (its events went, each with event.deleted), true again once switched on */
                    syncEnabled?: boolean;
                    /** @description The zone calhub reads the calendar in: the tenant's choice when timeZoneChosen, else the provider's */
                    timeZone?: string;
                    /** @description The tenant chose timeZone (PATCH /v1/calendars/{id} timeZone); a choice made or dropped names timeZoneChosen in changed, and timeZone too when the zone moved */
                    timeZoneChosen?: boolean;
                };
                calendarId: string;
                /** @description calendar.updated: every field the change (one PATCH, one calendar list read) changed, in this order */
                changed?: ("name" | "color" | "timeZone" | "accessRole" | "countsForBusy" | "missingSince" | "syncEnabled" | "timeZoneChosen" | "providerTimeZone" | "primary")[];
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "calendar.created";
        };
        /** @description The body of a `calendar.deleted` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_calendar_deleted: {
            data: {
                accountId: string;
                calendar: {
                    accessRole?: string;
                    color?: string | null;
                    countsForBusy?: boolean;
                    /** @description calendar.updated: set when the provider's calendar list left the calendar out (it is removed with calendar.deleted if a later listing still does), null when listed */
                    missingSince?: string | null;
                    name?: string;
                    /** @description The provider's primary/default calendar of the account (as GET /v1/calendars/{id} primary); a calendar-list reading that moves it names primary in changed */
                    primary?: boolean;
                    providerCalendarId?: string;
                    /** @description The provider's own zone (UTC where it states none); named in changed whenever it moves, under a chosen zone too (timeZone then stays) */
                    providerTimeZone?: string;
                    /** @description calendar.updated: false once the calendar's sync is switched off (its events went, each with event.deleted), true again once switched on */
                    syncEnabled?: boolean;
                    /** @description The zone calhub reads the calendar in: the tenant's choice when timeZoneChosen, else the provider's */
                    timeZone?: string;
                    /** @description The tenant chose timeZone (PATCH /v1/calendars/{id} timeZone); a choice made or dropped names timeZoneChosen in changed, and timeZone too when the zone moved */
                    timeZoneChosen?: boolean;
                };
                calendarId: string;
                /** @description calendar.updated: every field the change (one PATCH, one calendar list read) changed, in this order */
                changed?: ("name" | "color" | "timeZone" | "accessRole" | "countsForBusy" | "missingSince" | "syncEnabled" | "timeZoneChosen" | "providerTimeZone" | "primary")[];
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "calendar.deleted";
        };
        /** @description The body of a `calendar.updated` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_calendar_updated: {
            data: {
                accountId: string;
                calendar: {
                    accessRole?: string;
                    color?: string | null;
                    countsForBusy?: boolean;
                    /** @description calendar.updated: set when the provider's calendar list left the calendar out (it is removed with calendar.deleted if a later listing still does), null when listed */
                    missingSince?: string | null;
                    name?: string;
                    /** @description The provider's primary/default calendar of the account (as GET /v1/calendars/{id} primary); a calendar-list reading that moves it names primary in changed */
                    primary?: boolean;
                    providerCalendarId?: string;
                    /** @description The provider's own zone (UTC where it states none); named in changed whenever it moves, under a chosen zone too (timeZone then stays) */
                    providerTimeZone?: string;
                    /** @description calendar.updated: false once the calendar's sync is switched off (its events went, each with event.deleted), true again once switched on */
                    syncEnabled?: boolean;
                    /** @description The zone calhub reads the calendar in: the tenant's choice when timeZoneChosen, else the provider's */
                    timeZone?: string;
                    /** @description The tenant chose timeZone (PATCH /v1/calendars/{id} timeZone); a choice made or dropped names timeZoneChosen in changed, and timeZone too when the zone moved */
                    timeZoneChosen?: boolean;
                };
                calendarId: string;
                /** @description calendar.updated: every field the change (one PATCH, one calendar list read) changed, in this order */
                changed?: ("name" | "color" | "timeZone" | "accessRole" | "countsForBusy" | "missingSince" | "syncEnabled" | "timeZoneChosen" | "providerTimeZone" | "primary")[];
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "calendar.updated";
        };
        /** @description The body of a `conflict.parked` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_conflict_parked: {
            data: {
                accountId?: string | null;
                calendarId: string;
                conflictId: string;
                /** @description The series master or single event the conflict belongs to; null when it is gone (or the message was queued before migration 0092) */
                eventId: string | null;
                fields: string[];
                /**
                 * @description The occurrence's original start, as event.originalStart, when the parked change was of one occurrence
                 * @example {
                 *       "dateTime": "2026-12-07T09:00:00",
                 *       "timeZone": "Europe/Berlin"
                 *     }
                 * @example {
                 *       "date": "2026-12-07"
                 *     }
                 */
                occurrence: {
                    /** @description YYYY-MM-DD */
                    date?: string;
                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                    dateTime?: string;
                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                    local?: string;
                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                    timeZone?: string;
                } | null;
                policy: string;
                remoteId: string | null;
                tenantId: string;
                uid: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "conflict.parked";
        };
        /** @description The body of a `conflict.recorded` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_conflict_recorded: {
            data: {
                accountId?: string | null;
                calendarId: string;
                conflictId: string;
                /** @description The series master or single event the conflict belongs to; null when it is gone */
                eventId: string | null;
                /** @description As GET /v1/conflicts: the fields, `<occurrence key>:<field>` for one occurrence (`:deleted`, `:series-changed`); `deleted` (or `:deleted`) for a delete conflict of the whole event: one side deleted what the other changed */
                fields: string[];
                /** @description When the hub-side change was made in calhub (ISO); what latest-wins compared. null: not recorded (a delete conflict, or recorded before the field existed) */
                localChangedAt: string | null;
                /**
                 * @description Whose change was discarded: hub (the app's or a mirror's write through calhub; redo it if it still matters) or provider (an edit made at Google, Microsoft 365 or the CalDAV server, e.g. by the user, that calhub wrote over). null only on messages queued before the field existed.
                 * @enum {string|null}
                 */
                lost: "hub" | "provider" | null;
                /**
                 * @description The occurrence's original start, as event.originalStart, when the lost change was of one occurrence
                 * @example {
                 *       "dateTime": "2026-12-07T09:00:00",
                 *       "timeZone": "Europe/Berlin"
                 *     }
                 * @example {
                 *       "date": "2026-12-07"
                 *     }
                 */
                occurrence: {
                    /** @description YYYY-MM-DD */
                    date?: string;
                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                    dateTime?: string;
                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                    local?: string;
                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                    timeZone?: string;
                } | null;
                /**
                 * @description local: the hub's version was kept (written to the provider); merged: the hub's side of each field in conflict was kept, fields only one side changed taken from both; remote: the provider's version was kept; deleted: the deletion stood (the provider's, or the hub's over a change made at the provider: delete-wins); recreated: the change stood over the deletion (modify-wins), made again where it was deleted
                 * @enum {string}
                 */
                outcome: "local" | "merged" | "remote" | "deleted" | "recreated";
                /** @description What settled it, as GET /v1/conflicts: a conflict or delete policy, or provider-cannot-restore (Graph: the occurrence was cancelled there), provider-reset-exceptions (Graph: the series changed there and its exceptions went with it) */
                policy: string;
                /** @description The provider's own modification time of its version (Google updated, Microsoft 365 lastModifiedDateTime, CalDAV LAST-MODIFIED or DTSTAMP), ISO; null: the provider gave none (latest-wins then took the provider's side as the later) or not recorded */
                remoteChangedAt: string | null;
                remoteId: string | null;
                tenantId: string;
                uid: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "conflict.recorded";
        };
        /** @description The body of a `event.created` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_event_created: {
            data: {
                accountId: string | null;
                calendarId: string;
                /** @description The master or single event (for event.deleted, as it was last). As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                event: {
                    attendees?: {
                        email: string;
                        name?: string | null;
                        optional?: boolean;
                        /** @enum {string} */
                        response?: "needsAction" | "accepted" | "declined" | "tentative";
                        self?: boolean;
                    }[];
                    /** @enum {string} */
                    availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                    calendarId: string;
                    conferenceUrl?: string | null;
                    description?: string | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    end: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    etag: string;
                    id: string;
                    location?: string | null;
                    organizer?: {
                        email: string;
                        name?: string | null;
                    } | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    originalStart?: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    } | null;
                    /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                    provenance?: {
                        ruleId: string | null;
                        sourceEventId: string;
                    } | null;
                    providerEventId?: string | null;
                    providerUpdatedAt?: string | null;
                    /**
                     * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                     * @example {
                     *       "rrules": [
                     *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                     *       ],
                     *       "exdates": [
                     *         {
                     *           "dateTime": "2026-12-09T09:00:00",
                     *           "timeZone": "Europe/Berlin"
                     *         }
                     *       ]
                     *     }
                     */
                    recurrence?: {
                        exdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rrules?: string[];
                    } | null;
                    sequence?: number;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    start: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    /** @enum {string} */
                    status?: "confirmed" | "tentative" | "cancelled";
                    /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                    thisAndFuture?: boolean;
                    title?: string | null;
                    uid: string;
                    /** @enum {string} */
                    visibility?: "default" | "public" | "private" | "confidential";
                } | null;
                eventId: string | null;
                /** @description for a recurring series: the master and the instances (overrides) this change touched */
                series: {
                    instances?: {
                        /**
                         * @description an override its series' move carried to a new original start is `updated`: the same eventId, with its new originalStart and etag
                         * @enum {string}
                         */
                        change: "created" | "updated" | "deleted";
                        /** @description The override. As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                        event: {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                        eventId: string;
                        /**
                         * @description the occurrence's original start, as event.originalStart
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        originalStart: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        } | null;
                    }[];
                    masterId?: string | null;
                } | null;
                tenantId: string;
                uid: string;
                /** @description true for changes calhub wrote itself (mirror copies, writes through its API and outbox) and for the provider's answer to such a write (the event.updated that brings its providerEventId, its new etag and the fields the provider filled in): an app ignores these to avoid loops */
                writtenByCalhub: boolean;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "event.created";
        };
        /** @description The body of a `event.deleted` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_event_deleted: {
            data: {
                accountId: string | null;
                calendarId: string;
                /** @description The master or single event (for event.deleted, as it was last). As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                event: {
                    attendees?: {
                        email: string;
                        name?: string | null;
                        optional?: boolean;
                        /** @enum {string} */
                        response?: "needsAction" | "accepted" | "declined" | "tentative";
                        self?: boolean;
                    }[];
                    /** @enum {string} */
                    availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                    calendarId: string;
                    conferenceUrl?: string | null;
                    description?: string | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    end: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    etag: string;
                    id: string;
                    location?: string | null;
                    organizer?: {
                        email: string;
                        name?: string | null;
                    } | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    originalStart?: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    } | null;
                    /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                    provenance?: {
                        ruleId: string | null;
                        sourceEventId: string;
                    } | null;
                    providerEventId?: string | null;
                    providerUpdatedAt?: string | null;
                    /**
                     * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                     * @example {
                     *       "rrules": [
                     *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                     *       ],
                     *       "exdates": [
                     *         {
                     *           "dateTime": "2026-12-09T09:00:00",
                     *           "timeZone": "Europe/Berlin"
                     *         }
                     *       ]
                     *     }
                     */
                    recurrence?: {
                        exdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rrules?: string[];
                    } | null;
                    sequence?: number;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    start: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    /** @enum {string} */
                    status?: "confirmed" | "tentative" | "cancelled";
                    /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                    thisAndFuture?: boolean;
                    title?: string | null;
                    uid: string;
                    /** @enum {string} */
                    visibility?: "default" | "public" | "private" | "confidential";
                } | null;
                eventId: string | null;
                /** @description for a recurring series: the master and the instances (overrides) this change touched */
                series: {
                    instances?: {
                        /**
                         * @description an override its series' move carried to a new original start is `updated`: the same eventId, with its new originalStart and etag
                         * @enum {string}
                         */
                        change: "created" | "updated" | "deleted";
                        /** @description The override. As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                        event: {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                        eventId: string;
                        /**
                         * @description the occurrence's original start, as event.originalStart
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        originalStart: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        } | null;
                    }[];
                    masterId?: string | null;
                } | null;
                tenantId: string;
                uid: string;
                /** @description true for changes calhub wrote itself (mirror copies, writes through its API and outbox) and for the provider's answer to such a write (the event.updated that brings its providerEventId, its new etag and the fields the provider filled in): an app ignores these to avoid loops */
                writtenByCalhub: boolean;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "event.deleted";
        };
        /** @description The body of a `event.quarantined` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_event_quarantined: {
            /** @description event.quarantined: the provider's item of an event calhub had read became unreadable; the event keeps its last good copy (same id, busy time, mirror copies) and is stale until event.restored. event.restored: a readable version healed it (the event as it now stands; an event.updated in the same transaction carries a content change). One message per transition, not per retry. An item never read has no event, so none is sent for it (it arrives as event.created once readable); one deleted at the provider while set aside gets event.deleted. */
            data: {
                accountId: string | null;
                calendarId: string;
                /** @description The event: for event.quarantined the last good copy kept, for event.restored the version read now. As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                event: {
                    attendees?: {
                        email: string;
                        name?: string | null;
                        optional?: boolean;
                        /** @enum {string} */
                        response?: "needsAction" | "accepted" | "declined" | "tentative";
                        self?: boolean;
                    }[];
                    /** @enum {string} */
                    availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                    calendarId: string;
                    conferenceUrl?: string | null;
                    description?: string | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    end: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    etag: string;
                    id: string;
                    location?: string | null;
                    organizer?: {
                        email: string;
                        name?: string | null;
                    } | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    originalStart?: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    } | null;
                    /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                    provenance?: {
                        ruleId: string | null;
                        sourceEventId: string;
                    } | null;
                    providerEventId?: string | null;
                    providerUpdatedAt?: string | null;
                    /**
                     * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                     * @example {
                     *       "rrules": [
                     *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                     *       ],
                     *       "exdates": [
                     *         {
                     *           "dateTime": "2026-12-09T09:00:00",
                     *           "timeZone": "Europe/Berlin"
                     *         }
                     *       ]
                     *     }
                     */
                    recurrence?: {
                        exdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rrules?: string[];
                    } | null;
                    sequence?: number;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    start: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    /** @enum {string} */
                    status?: "confirmed" | "tentative" | "cancelled";
                    /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                    thisAndFuture?: boolean;
                    title?: string | null;
                    uid: string;
                    /** @enum {string} */
                    visibility?: "default" | "public" | "private" | "confidential";
                };
                eventId: string;
                /** @description what is wrong with the item, never its content */
                message: string;
                /**
                 * @description why it was set aside (for event.restored: why it had been)
                 * @enum {string}
                 */
                reason: "UNSTORABLE_TEXT" | "UID_CLASH" | "RECURRENCE_UNEXPANDABLE" | "INVALID_DATA";
                /** @description the provider's id of the item (CalDAV: its href), as GET /v1/calendars/{id}/quarantine lists it */
                remoteId: string;
                tenantId: string;
                uid: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "event.quarantined";
        };
        /** @description The body of a `event.restored` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_event_restored: {
            /** @description event.quarantined: the provider's item of an event calhub had read became unreadable; the event keeps its last good copy (same id, busy time, mirror copies) and is stale until event.restored. event.restored: a readable version healed it (the event as it now stands; an event.updated in the same transaction carries a content change). One message per transition, not per retry. An item never read has no event, so none is sent for it (it arrives as event.created once readable); one deleted at the provider while set aside gets event.deleted. */
            data: {
                accountId: string | null;
                calendarId: string;
                /** @description The event: for event.quarantined the last good copy kept, for event.restored the version read now. As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                event: {
                    attendees?: {
                        email: string;
                        name?: string | null;
                        optional?: boolean;
                        /** @enum {string} */
                        response?: "needsAction" | "accepted" | "declined" | "tentative";
                        self?: boolean;
                    }[];
                    /** @enum {string} */
                    availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                    calendarId: string;
                    conferenceUrl?: string | null;
                    description?: string | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    end: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    etag: string;
                    id: string;
                    location?: string | null;
                    organizer?: {
                        email: string;
                        name?: string | null;
                    } | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    originalStart?: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    } | null;
                    /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                    provenance?: {
                        ruleId: string | null;
                        sourceEventId: string;
                    } | null;
                    providerEventId?: string | null;
                    providerUpdatedAt?: string | null;
                    /**
                     * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                     * @example {
                     *       "rrules": [
                     *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                     *       ],
                     *       "exdates": [
                     *         {
                     *           "dateTime": "2026-12-09T09:00:00",
                     *           "timeZone": "Europe/Berlin"
                     *         }
                     *       ]
                     *     }
                     */
                    recurrence?: {
                        exdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rrules?: string[];
                    } | null;
                    sequence?: number;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    start: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    /** @enum {string} */
                    status?: "confirmed" | "tentative" | "cancelled";
                    /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                    thisAndFuture?: boolean;
                    title?: string | null;
                    uid: string;
                    /** @enum {string} */
                    visibility?: "default" | "public" | "private" | "confidential";
                };
                eventId: string;
                /** @description what is wrong with the item, never its content */
                message: string;
                /**
                 * @description why it was set aside (for event.restored: why it had been)
                 * @enum {string}
                 */
                reason: "UNSTORABLE_TEXT" | "UID_CLASH" | "RECURRENCE_UNEXPANDABLE" | "INVALID_DATA";
                /** @description the provider's id of the item (CalDAV: its href), as GET /v1/calendars/{id}/quarantine lists it */
                remoteId: string;
                tenantId: string;
                uid: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "event.restored";
        };
        /** @description The body of a `event.updated` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_event_updated: {
            data: {
                accountId: string | null;
                calendarId: string;
                /** @description The master or single event (for event.deleted, as it was last). As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                event: {
                    attendees?: {
                        email: string;
                        name?: string | null;
                        optional?: boolean;
                        /** @enum {string} */
                        response?: "needsAction" | "accepted" | "declined" | "tentative";
                        self?: boolean;
                    }[];
                    /** @enum {string} */
                    availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                    calendarId: string;
                    conferenceUrl?: string | null;
                    description?: string | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    end: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    etag: string;
                    id: string;
                    location?: string | null;
                    organizer?: {
                        email: string;
                        name?: string | null;
                    } | null;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    originalStart?: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    } | null;
                    /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                    provenance?: {
                        ruleId: string | null;
                        sourceEventId: string;
                    } | null;
                    providerEventId?: string | null;
                    providerUpdatedAt?: string | null;
                    /**
                     * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                     * @example {
                     *       "rrules": [
                     *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                     *       ],
                     *       "exdates": [
                     *         {
                     *           "dateTime": "2026-12-09T09:00:00",
                     *           "timeZone": "Europe/Berlin"
                     *         }
                     *       ]
                     *     }
                     */
                    recurrence?: {
                        exdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rdates?: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        }[];
                        rrules?: string[];
                    } | null;
                    sequence?: number;
                    /**
                     * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                     * @example {
                     *       "dateTime": "2026-12-07T09:00:00",
                     *       "timeZone": "Europe/Berlin"
                     *     }
                     * @example {
                     *       "date": "2026-12-07"
                     *     }
                     */
                    start: {
                        /** @description YYYY-MM-DD */
                        date?: string;
                        /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                        dateTime?: string;
                        /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                        local?: string;
                        /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                        timeZone?: string;
                    };
                    /** @enum {string} */
                    status?: "confirmed" | "tentative" | "cancelled";
                    /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                    thisAndFuture?: boolean;
                    title?: string | null;
                    uid: string;
                    /** @enum {string} */
                    visibility?: "default" | "public" | "private" | "confidential";
                } | null;
                eventId: string | null;
                /** @description for a recurring series: the master and the instances (overrides) this change touched */
                series: {
                    instances?: {
                        /**
                         * @description an override its series' move carried to a new original start is `updated`: the same eventId, with its new originalStart and etag
                         * @enum {string}
                         */
                        change: "created" | "updated" | "deleted";
                        /** @description The override. As GET /v1/events/{id} answers it at this version: the same fields (but quarantined), times (wall clock with offset plus zone) and etag; the etag works as If-Match until the event changes again. */
                        event: {
                            attendees?: {
                                email: string;
                                name?: string | null;
                                optional?: boolean;
                                /** @enum {string} */
                                response?: "needsAction" | "accepted" | "declined" | "tentative";
                                self?: boolean;
                            }[];
                            /** @enum {string} */
                            availability?: "busy" | "free" | "tentative" | "oof" | "workingElsewhere";
                            calendarId: string;
                            conferenceUrl?: string | null;
                            description?: string | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            end: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            etag: string;
                            id: string;
                            location?: string | null;
                            organizer?: {
                                email: string;
                                name?: string | null;
                            } | null;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            originalStart?: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            } | null;
                            /** @description Read-only: on a mirror copy calhub wrote, the mirror rule (null for a copy written before rules had ids) and the source event it copies; null on every other event. The same in webhook payloads. Refused on writes (VALIDATION_FAILED "set by calhub"). */
                            provenance?: {
                                ruleId: string | null;
                                sourceEventId: string;
                            } | null;
                            providerEventId?: string | null;
                            providerUpdatedAt?: string | null;
                            /**
                             * @description A series: RFC 5545 RRULE values (a leading "RRULE:" is dropped), and EXDATEs and RDATEs as event times
                             * @example {
                             *       "rrules": [
                             *         "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
                             *       ],
                             *       "exdates": [
                             *         {
                             *           "dateTime": "2026-12-09T09:00:00",
                             *           "timeZone": "Europe/Berlin"
                             *         }
                             *       ]
                             *     }
                             */
                            recurrence?: {
                                exdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rdates?: {
                                    /** @description YYYY-MM-DD */
                                    date?: string;
                                    /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                    dateTime?: string;
                                    /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                    local?: string;
                                    /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                    timeZone?: string;
                                }[];
                                rrules?: string[];
                            } | null;
                            sequence?: number;
                            /**
                             * @description One of {date: YYYY-MM-DD} (all-day, end exclusive), {dateTime, timeZone} (a timed event) or {local: YYYY-MM-DDTHH:mm:ss} (floating). Written as: a wall clock "2026-12-07T09:00:00" with an IANA or Windows timeZone; an RFC 3339 instant with an offset "2026-12-07T09:00:00+01:00" (timeZone optional: the calendar's when its offset agrees, else a fixed one); or a UTC instant "…Z" with timeZone. Answered as the wall clock with its offset plus the IANA zone: {dateTime: "2026-12-07T09:00:00+01:00", timeZone: "Europe/Berlin"}. A wall clock in a DST gap or overlap is read per RFC 5545 3.3.5 (gap: the offset before it; overlap: the first) and the write's answer says so in timeNotes; one that leaves the event no time (or ending before it starts) is refused (400 VALIDATION_FAILED).
                             * @example {
                             *       "dateTime": "2026-12-07T09:00:00",
                             *       "timeZone": "Europe/Berlin"
                             *     }
                             * @example {
                             *       "date": "2026-12-07"
                             *     }
                             */
                            start: {
                                /** @description YYYY-MM-DD */
                                date?: string;
                                /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                                dateTime?: string;
                                /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                                local?: string;
                                /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                                timeZone?: string;
                            };
                            /** @enum {string} */
                            status?: "confirmed" | "tentative" | "cancelled";
                            /** @description Read-only, present (true) only on an override read from a CalDAV RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.2.13): its fields, length and move from its originalStart apply to every later occurrence too (the listing shows them so), unless one has an override or EXDATE of its own. A change of this override changes them all and is written back with the range. */
                            thisAndFuture?: boolean;
                            title?: string | null;
                            uid: string;
                            /** @enum {string} */
                            visibility?: "default" | "public" | "private" | "confidential";
                        };
                        eventId: string;
                        /**
                         * @description the occurrence's original start, as event.originalStart
                         * @example {
                         *       "dateTime": "2026-12-07T09:00:00",
                         *       "timeZone": "Europe/Berlin"
                         *     }
                         * @example {
                         *       "date": "2026-12-07"
                         *     }
                         */
                        originalStart: {
                            /** @description YYYY-MM-DD */
                            date?: string;
                            /** @description wall clock YYYY-MM-DDTHH:mm:ss, or RFC 3339 with offset; answers: wall clock with offset */
                            dateTime?: string;
                            /** @description floating wall clock YYYY-MM-DDTHH:mm:ss, read in the calendar's zone */
                            local?: string;
                            /** @description IANA name (answers); writes also take Windows names such as "W. Europe Standard Time" */
                            timeZone?: string;
                        } | null;
                    }[];
                    masterId?: string | null;
                } | null;
                tenantId: string;
                uid: string;
                /** @description true for changes calhub wrote itself (mirror copies, writes through its API and outbox) and for the provider's answer to such a write (the event.updated that brings its providerEventId, its new etag and the fields the provider filled in): an app ignores these to avoid loops */
                writtenByCalhub: boolean;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "event.updated";
        };
        /** @description The body of a `sync.failed` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_sync_failed: {
            data: {
                accountId: string;
                calendarId: string;
                /** @description sync.failed: the failure as the calendar recorded it (`AUTH_GRANT_REVOKED: account … needs to be reconnected …`; never a credential), for people: read errorCode for the code. null in sync.recovered */
                error: string | null;
                /** @description sync.failed: the failure's stable code (docs/errors.md, e.g. AUTH_GRANT_REVOKED, CONNECTOR_TRANSIENT, MASS_CHANGE_GUARD); null when the failure was not one of calhub's coded errors (a run reaped as stale), and in sync.recovered */
                errorCode: string | null;
                failureCount: number;
                lastSuccessAt?: string | null;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "sync.failed";
        };
        /** @description The body of a `sync.recovered` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_sync_recovered: {
            data: {
                accountId: string;
                calendarId: string;
                /** @description sync.failed: the failure as the calendar recorded it (`AUTH_GRANT_REVOKED: account … needs to be reconnected …`; never a credential), for people: read errorCode for the code. null in sync.recovered */
                error: string | null;
                /** @description sync.failed: the failure's stable code (docs/errors.md, e.g. AUTH_GRANT_REVOKED, CONNECTOR_TRANSIENT, MASS_CHANGE_GUARD); null when the failure was not one of calhub's coded errors (a run reaped as stale), and in sync.recovered */
                errorCode: string | null;
                failureCount: number;
                lastSuccessAt?: string | null;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "sync.recovered";
        };
        /** @description The body of a `webhook.test` webhook. Headers: webhook-id (= id), webhook-timestamp, webhook-signature (Standard Webhooks, HMAC-SHA256). */
        Webhook_webhook_test: {
            /** @description webhook.test: sent only by POST /v1/webhooks/{id}/test (and `calhub webhooks test`), to the endpoint named, whatever event types it receives; never logged as a delivery. */
            data: {
                endpointId: string;
                tenantId: string;
            };
            id: string;
            /** Format: date-time */
            timestamp: string;
            /** @enum {string} */
            type: "webhook.test";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
