/** Where leads go: set VITE_LEADKIT_ENDPOINT when you build or run `vite`, e.g. your adapter's URL. */
export const ENDPOINT: string = import.meta.env.VITE_LEADKIT_ENDPOINT ?? 'http://127.0.0.1:8787/v1/leads';
