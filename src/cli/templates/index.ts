import { enterpriseB2b } from './enterprise-b2b.js';
import { partnerNetwork } from './partner-network.js';
import { saasStarter } from './saas-starter.js';
import type { Template } from './template.js';

export const TEMPLATE_NAMES = ['enterprise-b2b', 'saas-starter', 'partner-network'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const TEMPLATES: Readonly<Record<TemplateName, Template>> = {
  'enterprise-b2b': enterpriseB2b,
  'saas-starter': saasStarter,
  'partner-network': partnerNetwork,
};
