/**
 * Who a write tells about itself: the attendees' invitations, updates and cancellations. Named and
 * ordered as Google's `sendUpdates` (provider-facts A.4): each value tells at least the people the
 * one before it does, so two writes pushed as one take the later in this list.
 */
export const SEND_UPDATES = ['none', 'externalOnly', 'all'] as const;
export type SendUpdates = (typeof SEND_UPDATES)[number];

export const isSendUpdates = (v: unknown): v is SendUpdates => typeof v === 'string' && (SEND_UPDATES as readonly string[]).includes(v);
