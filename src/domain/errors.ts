/**
 * Failures the rules report, free of any protocol. Each edge translates them: the admin API into
 * RFC 9457 problem+json, the CLI into a message and exit code, the declarative file into a line.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    /** Stable machine-readable reason, e.g. `domain_taken`. */
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing does not exist, or the caller may not see it (cross-tenant reads look the same). */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} was not found`, 'not_found');
  }
}

/** The request contradicts what exists (duplicate slug, domain verified elsewhere, children left). */
export class ConflictError extends DomainError {}

/** The input is well-formed but breaks a rule; `field` names the offending input. */
export class RuleViolationError extends DomainError {
  constructor(
    message: string,
    code: string,
    readonly field?: string,
  ) {
    super(message, code);
  }
}

/** The caller is known and sees the object but may not do this to it. */
export class ForbiddenError extends DomainError {
  /** `code`: a more specific reason (`feature_not_in_plan`, `quota_exceeded`). */
  constructor(message: string, code = 'forbidden') {
    super(message, code);
  }
}
