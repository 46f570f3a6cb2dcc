/** Renders a server-side page from views/ with auto-escaping; implemented in http/views.ts. */
export type RenderPage = (view: string, data: Record<string, unknown>) => string;
