// The bench scripts' command lines (bench, soak, bench:start): each script has its own parser,
// which throws its message and usage on bad input; this prints it, and the caller exits 2.

/** `parse(argv)`'s options, or undefined after printing its error (the caller exits 2). */
export function parseOrExplain(parse, argv = process.argv.slice(2)) {
  try {
    return parse(argv);
  } catch (error) {
    console.error(error.message);
    return undefined;
  }
}
