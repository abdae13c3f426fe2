// Reads and writes HdrHistogram's standard forms with hdr-histogram-js, for the tests that check
// splitbench's against another implementation. Prints JSON on stdout; exits 1 with a message on
// anything it cannot read.
//
//   node hdr-check.mjs decode FILE   FILE: a JSON array of base64 histograms ("HISTFAAA...")
//                                    -> [{count, min, max, p50, p99, p999, digits, highest}]
//   node hdr-check.mjs encode FILE   FILE: a JSON array of {values: [[value, count], ...],
//                                    digits?, highest?} (none: hdr-histogram-js's defaults,
//                                    auto-resizing) -> the base64 of each
//   node hdr-check.mjs log FILE      FILE: an interval log (HistogramLogReader)
//                                    -> [{tag, start_ms, end_ms, count, max}]
import { readFileSync } from "node:fs";
import hdr from "hdr-histogram-js";

const [mode, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");

function figures(h) {
  return {
    count: h.totalCount,
    min: h.minNonZeroValue,
    max: h.maxValue,
    p50: h.getValueAtPercentile(50),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    digits: h.numberOfSignificantValueDigits,
    highest: h.highestTrackableValue,
  };
}

try {
  let out;
  if (mode === "decode") {
    out = JSON.parse(text).map((s) => figures(hdr.decodeFromCompressedBase64(s, 64)));
  } else if (mode === "encode") {
    out = JSON.parse(text).map((spec) => {
      const options = { bitBucketSize: 64 };
      if (spec.digits !== undefined) options.numberOfSignificantValueDigits = spec.digits;
      if (spec.highest !== undefined) Object.assign(options, { highestTrackableValue: spec.highest, autoResize: false });
      const h = hdr.build(options);
      for (const [value, count] of spec.values) h.recordValueWithCount(value, count);
      return hdr.encodeIntoCompressedBase64(h);
    });
  } else if (mode === "log") {
    const reader = new hdr.HistogramLogReader(text, 64);
    out = [];
    for (let h; (h = reader.nextIntervalHistogram()) !== null; )
      out.push({ tag: h.tag, start_ms: h.startTimeStampMsec, end_ms: h.endTimeStampMsec, count: h.totalCount, max: h.maxValue });
  } else {
    throw new Error(`unknown mode '${mode}': decode, encode or log`);
  }
  process.stdout.write(JSON.stringify(out) + "\n");
} catch (e) {
  process.stderr.write(`hdr-check: ${e.message}\n`);
  process.exit(1);
}
