/** Where in the input something could not be read: the file, the line (1-based) and the field path. */
export interface InputPlace {
  file?: string;
  line?: number;
  /** A field path such as `spec.workloads[0].poolSize`. */
  path?: string;
}

/** Input that cannot be read or is invalid; the message leads with file:line and the field path. */
export class InputError extends Error {
  readonly place: InputPlace;

  constructor(place: InputPlace, message: string, options?: { cause?: unknown }) {
    super(`${where(place)}${message}`, options);
    this.name = 'InputError';
    this.place = place;
  }
}

function where(place: InputPlace): string {
  const file = place.file === undefined ? '' : `${place.file}${place.line === undefined ? '' : `:${place.line}`}: `;
  return `${file}${place.path === undefined ? '' : `${place.path}: `}`;
}

/** A field path as Kubernetes and zod messages write it: `spec.workloads[0].poolSize`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, index) => (typeof p === 'number' ? `[${p}]` : `${index === 0 ? '' : '.'}${String(p)}`)).join('');
}
