/**
 * A starting point `gatehouse init` writes: a commented gatehouse.yaml, and the secrets it
 * references generated into .env. Templates are modules rather than files beside the code, so
 * the compiled CLI (dist/) and the container image carry them without a copy step.
 */
export interface TemplateSecret {
  name: string;
  /** secret: 256 random bits; password: a random password for a local account. */
  kind: 'secret' | 'password';
  comment: string;
}

export interface Template {
  name: string;
  summary: string;
  /** The organization the next steps add SSO to. */
  organization: string;
  yaml: string;
  secrets: readonly TemplateSecret[];
}
