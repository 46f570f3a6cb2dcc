import type { McpServices, McpTool } from '../tool.js';
import { auditTools } from './audit-tools.js';
import { connectionTools } from './connection-tools.js';
import { organizationTools } from './organization-tools.js';
import { peopleTools } from './people-tools.js';
import { sessionTools } from './session-tools.js';

/** Every admin tool the services support (the session tools need a session registry). */
export function adminTools(services: McpServices): McpTool[] {
  return [
    ...organizationTools(services),
    ...connectionTools(services),
    ...peopleTools(services),
    ...(services.sessions ? sessionTools(services.sessions) : []),
    ...auditTools(services),
  ];
}
