// A second reporter for `npm test`: one line per top-level test with its file and duration, so
// run-tests.mjs can name the slowest files (CI time is the sum of these over two lanes).
export default async function* fileTimes(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      yield `${JSON.stringify({ file: event.data.file, ms: Math.round(event.data.details?.duration_ms ?? 0) })}\n`;
    }
  }
}
