/**
 * Which audited actions become events, and under which type. Only changes to the directory of
 * an organization (its users, memberships, roles and groups) are events: consumers mirror that
 * directory. Configuration (domains, connections, clients, keys) and second factors are not,
 * and stay in the audit log only, except `connection.certificate_expiring`: not a change but a
 * deadline the customer's administrator must act on (domain/connection-health/certificate-alerts.ts).
 */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'membership.created',
  'membership.updated',
  'membership.deleted',
  'role.created',
  'role.updated',
  'role.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'connection.certificate_expiring',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const EVENT_TYPE_OF_ACTION: Readonly<Record<string, EventType>> = {
  'user.create': 'user.created',
  'user.update': 'user.updated',
  'user.delete': 'user.deleted',
  'membership.create': 'membership.created',
  // Auto-join by a verified domain makes a membership like any other.
  'membership.auto_join': 'membership.created',
  'membership.update': 'membership.updated',
  'membership.delete': 'membership.deleted',
  'role.create': 'role.created',
  'role.update': 'role.updated',
  'role.delete': 'role.deleted',
  // SCIM groups (target type directory_group).
  'group.create': 'group.created',
  'group.update': 'group.updated',
  'group.delete': 'group.deleted',
  'group.member_add': 'group.member_added',
  'group.member_remove': 'group.member_removed',
};

/** The event type an audited action produces, or undefined when it produces none. */
export const eventTypeOf = (action: string): EventType | undefined => EVENT_TYPE_OF_ACTION[action];

/** A user's account spans organizations: its events go to each one (see change-events.ts). */
export const isAccountWide = (type: EventType) => type.startsWith('user.');
