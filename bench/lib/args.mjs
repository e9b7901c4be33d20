// Reads a bench's `--name value` options from its command line, so every bench spells and checks them alike.
const argv = process.argv.slice(2);

/** The value after `--name`, or `fallback` when the option is not given. */
export function option(name, fallback) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
}

/** `--name N` as a number; a value that is not one stops the bench with the option's name. */
export function numberOption(name, fallback) {
  const value = option(name, undefined);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value === '' || Number.isNaN(n))
    throw new Error(`--${name} takes a number (e.g. --${name} ${fallback})`);
  return n;
}

/** Whether the bare switch `--name` is given. */
export function hasFlag(name) {
  return argv.includes(`--${name}`);
}
