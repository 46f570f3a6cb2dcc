/** The parts of samlp (a SAML IdP for Express, no types of its own) the tests drive. */
declare module 'samlp' {
  type Middleware = (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
  const samlp: {
    auth(options: Record<string, unknown>): Middleware;
    metadata(options: Record<string, unknown>): Middleware;
    getSamlResponse(
      options: Record<string, unknown>,
      user: Record<string, unknown>,
      callback: (error: Error | null, response?: string) => void,
    ): void;
  };
  export default samlp;
}
