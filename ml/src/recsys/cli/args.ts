/** `--name value` / `--flag` command-line options (no dependency needed for a handful). */
export function parseArgs(argv: readonly string[]): Map<string, string | true> {
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) options.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
      options.set(name, argv[++i]);
    else options.set(name, true);
  }
  return options;
}

export function stringOption(
  options: Map<string, string | true>,
  name: string,
): string | undefined {
  const value = options.get(name);
  if (value === true) throw new Error(`--${name} needs a value`);
  return value;
}

export function numberOption(
  options: Map<string, string | true>,
  name: string,
  fallback: number,
): number {
  const value = stringOption(options, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number`);
  return n;
}
