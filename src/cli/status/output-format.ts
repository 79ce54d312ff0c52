/** What `status -o` prints: the tree as text, or the JSON document of docs/status.md. */
export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
