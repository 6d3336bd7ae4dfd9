/** HTML text helpers for the report. */

/** Text and attribute values made safe for HTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A number for SVG coordinates: short, and never `-0`. */
export const coordinate = (v: number): string => (Math.round(v * 10) / 10 || 0).toString();
