/** Shared by the SVG charts: text placed inside SVG must not be read as markup. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
