/** The one import site of the generated client, so its path and types are referenced in one place. */
export { PrismaClient, Prisma } from '../generated/prisma/client.js';
export type {
  User as UserRow,
  Client as ClientRow,
  SigningKey as SigningKeyRow,
  OidcPayload as OidcPayloadRow,
  Organization as OrganizationRow,
  Role as RoleRow,
  Membership as MembershipRow,
  Domain as DomainRow,
  Connection as ConnectionRow,
  ApiKey as ApiKeyRow,
  GrantOrganization as GrantOrganizationRow,
  AuditRecord as AuditRecordRow,
  RoutingRule as RoutingRuleRow,
  Identity as IdentityRow,
  MfaFactor as MfaFactorRow,
  RecoveryCode as RecoveryCodeRow,
  Directory as DirectoryRow,
  DirectoryUser as DirectoryUserRow,
  DirectoryGroup as DirectoryGroupRow,
  Event as EventRow,
  WebhookEndpoint as WebhookEndpointRow,
  WebhookDelivery as WebhookDeliveryRow,
  Federation as FederationRow,
  TrustRule as TrustRuleRow,
} from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';

/** Both the root client and the interactive-transaction client: repositories work on either. */
export type PrismaExecutor = Prisma.TransactionClient;
