#!/usr/bin/python3
"""Charts of a splitbench report, gathered with its tables in one self-contained report.html.

  scripts/plot_report.py RUN_DIR        (e.g. results/latest)

Reads RUN_DIR/report.json and writes RUN_DIR/charts/*.png and RUN_DIR/report.html. Charts:
latency against offered rate (the sweep), the percentile spectrum of each deployment (the compare
phase's histograms, merged exactly), CPU per request, the latency the split adds per route, the
scaling, network distance, payload size and breakdown phases where they ran, and for each fault the good answers and p99
per route over its run, placed beside its section.
Without matplotlib (Debian: python3-matplotlib) it still writes report.html, with the tables only.
"""
import base64
import html
import json
import base64
import math
import os
import re
import struct
import sys
import zlib


class Histogram:
    """Decodes splitbench's histograms with the same bucket math: HdrHistogram's V2 compressed
    encoding ("HISTFAAA...", zlib-deflated ZigZag LEB128 counts) or the older text "hist1 ..."."""

    def __init__(self, text):
        if text.startswith("hist1 "):
            parts = text.split(" ")
            self.digits, self.highest = int(parts[1]), int(parts[2])
            self.min, self.max = int(parts[3]), int(parts[4])
            self._shape()
            self.counts = {}
            if len(parts) > 7 and parts[7]:
                for pair in parts[7].split(","):
                    i, c = pair.split(":")
                    self.counts[int(i)] = self.counts.get(int(i), 0) + int(c)
            return
        self._decode_v2(text)

    def _shape(self):
        largest = 2 * 10 ** self.digits
        magnitude = math.ceil(math.log2(largest))
        self.half_magnitude = magnitude - 1
        self.half_count = 1 << self.half_magnitude

    def _decode_v2(self, text):
        raw = base64.b64decode(text)
        cookie, length = struct.unpack(">iI", raw[:8])
        if cookie & ~0xF0 != 0x1C849304:
            raise ValueError("not an encoded histogram")
        payload = zlib.decompress(raw[8 : 8 + length])
        _, counts_length, _, self.digits, lowest, self.highest = struct.unpack(">iiiiqq", payload[:32])
        if lowest != 1:
            raise ValueError("a histogram whose lowest value is not 1")
        self._shape()
        self.counts, index, at, end = {}, 0, 40, 40 + counts_length
        while at < end:
            value, shift = 0, 0
            for k in range(9):
                byte = payload[at]
                at += 1
                if k == 8:
                    value |= byte << 56
                    break
                value |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            count = (value >> 1) ^ -(value & 1)
            if count < 0:
                index -= count
            else:
                if count:
                    self.counts[index] = count
                index += 1
        # V2 carries no exact min and max: the bounds of the first and last buckets counted.
        self.min = self.value_of(min(self.counts)) if self.counts else 0
        self.max = self.highest_equivalent(max(self.counts)) if self.counts else 0

    def merge(self, other):
        for i, c in other.counts.items():
            self.counts[i] = self.counts.get(i, 0) + c
        self.min, self.max = min(self.min, other.min), max(self.max, other.max)

    def value_of(self, index):
        bucket = (index >> self.half_magnitude) - 1
        sub = (index & (self.half_count - 1)) + self.half_count
        if bucket < 0:
            sub -= self.half_count
            bucket = 0
        return sub << bucket

    def highest_equivalent(self, index):
        value = self.value_of(index)
        bucket = max(0, (value | (2 * self.half_count - 1)).bit_length() - 1 - self.half_magnitude)
        return value + (1 << bucket) - 1

    def spectrum(self):
        """(percentile, value in ns) at every bucket, as HdrHistogram's percentile output does."""
        total = sum(self.counts.values())
        seen, out = 0, []
        for i in sorted(self.counts):
            seen += self.counts[i]
            out.append((100.0 * seen / total, min(self.highest_equivalent(i), self.max)))
        return out


def bold(text):
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])", r"<em>\1</em>", text)


def markdown_to_html(md, after_section=None):
    """The Markdown report.md uses: headings, bold and italics, quotes, lists, tables and code
    blocks. `after_section` maps the start of a "### " heading to a list of HTML, the first placed at
    the end of the first such section, and so on."""
    after_section = dict(after_section or {})
    out, in_table, in_code, in_list, pending = [], False, False, False, None
    for line in md.splitlines():
        if line.startswith("```"):
            out.append("</pre>" if in_code else "<pre>")
            in_code = not in_code
            continue
        if in_code:
            out.append(html.escape(line))
            continue
        if in_table and not line.startswith("|"):
            out.append("</table>")
            in_table = False
        if in_list and not line.startswith("- "):
            out.append("</ul>")
            in_list = False
        if pending and line.startswith("#"):
            out.append(pending)
            pending = None
        text = bold(html.escape(line))
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<{tag}>{bold(html.escape(c))}</{tag}>" for c in cells) + "</tr>")
        elif line.startswith("# "):
            out.append(f"<h1>{text[2:]}</h1>")
        elif line.startswith("## "):
            out.append(f"<h2>{text[3:]}</h2>")
        elif line.startswith("### "):
            out.append(f"<h3>{text[4:]}</h3>")
            key = next((k for k in after_section if line[4:] == k or line[4:].startswith(k + " ")), None)
            if key is not None:
                pending = after_section[key].pop(0)
                if not after_section[key]:
                    del after_section[key]
        elif line.startswith("&gt; "):
            out.append(f"<blockquote>{text[5:]}</blockquote>")
        elif line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{text[2:]}</li>")
        elif line.strip():
            out.append(f"<p>{text}</p>")
    if in_table:
        out.append("</table>")
    if in_list:
        out.append("</ul>")
    if pending:
        out.append(pending)
    return "\n".join(out)


def faults_of(report):
    """Each fault of the scenario with each deployment's run of it: the n-th run of a spec in a
    deployment goes with the n-th time the scenario names it, as report.md pairs them."""
    deployments = report["deployments"]
    specs = report["scenario"].get("faults") or max(([f["spec"] for f in d.get("faults", [])] for d in deployments.values()), key=len, default=[])
    seen, out = {}, []
    for spec in specs:
        n = seen.get(spec, 0)
        seen[spec] = n + 1
        sides = []
        for name, d in deployments.items():
            runs = [f for f in d.get("faults", []) if f["spec"] == spec]
            if n < len(runs):
                sides.append((name, runs[n]))
        if sides:
            out.append((spec, sides))
    return out


def fault_chart(plt, spec, sides, slo_us):
    """Good answers per second (top) and p99 (bottom, log) per route and slice, one column per
    deployment; the fault window shaded, each restart's ready time a dashed line."""
    fig, axes = plt.subplots(2, len(sides), figsize=(5.6 * len(sides) + 1.2, 6.4), sharex="col", sharey="row", squeeze=False)
    routes = list(sides[0][1]["routes"])
    palette = plt.get_cmap("tab10")
    for column, (name, f) in enumerate(sides):
        top, bottom = axes[0][column], axes[1][column]
        slice_s = f["slice_s"]
        for i, (route, r) in enumerate(f["routes"].items()):
            colour = palette(routes.index(route) % 10 if route in routes else i)
            timeline = r["timeline"]
            if not timeline:
                continue
            x = [t["start_s"] for t in timeline] + [timeline[-1]["start_s"] + slice_s]
            good = [t["good"] / slice_s for t in timeline]
            p99 = [t["p99_us"] / 1e3 if t["due"] else float("nan") for t in timeline]
            label = route + (f" (uses {f['service']})" if r["uses_target"] else "")
            top.step(x, good + good[-1:], where="post", color=colour, label=label, linewidth=1.4)
            bottom.step(x, p99 + p99[-1:], where="post", color=colour, linewidth=1.4)
        for ax in (top, bottom):
            ax.axvspan(f["at_s"], max(f["window_end_s"], f["at_s"] + slice_s / 4), color="#ff7f0e", alpha=0.15, linewidth=0)
            for restart in f["restarts"]:
                if restart["ready_s"] is not None:
                    ax.axvline(restart["ready_s"], color="black", linestyle="--", linewidth=0.9)
            ax.grid(True, which="both", alpha=0.3)
        for restart in f["restarts"]:
            if restart["ready_s"] is not None:
                top.annotate(f"{restart['process']} ready", (restart["ready_s"], 1), xycoords=("data", "axes fraction"),
                             xytext=(3, -3), textcoords="offset points", va="top", fontsize=8)
        if slo_us:
            bottom.axhline(slo_us / 1e3, color="grey", linestyle=":", linewidth=1.2, label="SLO (p99)")
        bottom.set_yscale("log")
        top.set_ylim(bottom=0)
        ready = [r["ready_s"] for r in f["restarts"] if r["process"] == f["process"] and r["ready_s"] is not None]
        verb = {"kill": "killed", "term": "terminated"}.get(f["kind"], f["kind"])
        if f["kind"] == "hang":
            what = f"hung {f['at_s']:g}–{f['window_end_s']:g} s"
        else:
            what = f"{verb} at {f['at_s']:g} s, " + (f"ready again at {ready[-1]:.2f} s" if ready else "not restarted")
        top.set_title(f"{name}: {f['process']} {what}", fontsize=10)
        bottom.set_xlabel("seconds into the measured window (shaded: the fault window)")
        bottom.set_xlim(0, f["seconds"])
    axes[0][0].set_ylabel("good answers/s, by due time")
    axes[1][0].set_ylabel("p99 from due time (ms, log)")
    handles, labels = [sum(x, []) for x in zip(axes[0][0].get_legend_handles_labels(), axes[1][0].get_legend_handles_labels())]
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    fig.suptitle(f"{spec} — good answers and p99 per route")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def distance_chart(plt, distance, slo_us, colours):
    """Left: the latency the split adds at p50 and p99 against the round trip between its
    processes; right: each side's throughput at the SLO. The round trip on a log axis that is
    linear below the smallest one above 0, so that 0 (loopback's own) has its place."""
    points = distance["points"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.4))
    positive = [p["round_trip_us"] / 1e3 for p in points if p["round_trip_us"] > 0]
    linthresh = min(positive) if positive else 1.0
    # The added latency on a log axis too; an interval reaching below 0 (a noisy pair) is cut there, and the label says so.
    cut = False
    for key, label, style in (("added_p50_us", "added p50", "o-"), ("added_p99_us", "added p99", "s--")):
        measured = [p for p in points if p.get(key) is not None]
        if not measured:
            continue
        x = [p["round_trip_us"] / 1e3 for p in measured]
        y = [p[key] / 1e3 for p in measured]
        ci = [p.get(key + "_ci95") or [p[key], p[key]] for p in measured]
        floor = [max(lo / 1e3, 0) if v > 0 else lo / 1e3 for v, (lo, _) in zip(y, ci)]
        cut = cut or any(f != lo / 1e3 for f, (lo, _) in zip(floor, ci))
        errors = [[max(0, v - f) for v, f in zip(y, floor)], [max(0, hi / 1e3 - v) for v, (_, hi) in zip(y, ci)]]
        left.errorbar(x, y, yerr=errors, fmt=style, capsize=3, label=f"{label} (95% CI)")
    if positive:
        xs = [0] + positive
        left.plot(xs, xs, ":", color="grey", label="one round trip (one hop in sequence)")
    left.axhline(1, color="black", linewidth=0.8, linestyle="-.", label="1 ms")
    left.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
    left.set_yscale("symlog", linthresh=0.1, linscale=0.5)
    if all((p.get(k) or 0) >= 0 for p in points for k in ("added_p50_us", "added_p99_us")):
        left.set_ylim(bottom=0)
    left.set_xlabel("network round trip between the split's processes (ms; 0: loopback's own)")
    left.set_ylabel("latency the split adds, every route (ms)" + ("; intervals cut at 0" if cut else ""))
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    left.set_title("Latency the split adds")

    swept = [p for p in points if p.get("swept")]
    if swept:
        passed = [p for p in swept if p.get("split_throughput_at_slo_bounds_rps")]
        x = [p["round_trip_us"] / 1e3 for p in passed]
        low = [p["split_throughput_at_slo_bounds_rps"][0] for p in passed]
        high = [p["split_throughput_at_slo_bounds_rps"][1] or p["split_throughput_at_slo_bounds_rps"][0] for p in passed]
        right.errorbar(x, low, yerr=[[0] * len(low), [h - l for h, l in zip(high, low)]], fmt="o-", capsize=3, color=colours.get("split"),
                       label="split")
        for p in swept:
            if not p.get("split_throughput_at_slo_bounds_rps"):
                right.plot([p["round_trip_us"] / 1e3], [0], "x", color="black", markersize=9, clip_on=False)
    mono = distance.get("monolith_throughput_at_slo_bounds_rps")
    if mono:
        right.axhline(mono[0], color=colours.get("monolith"), label="monolith (no distance between its parts)")
        right.axhspan(mono[0], mono[1] if mono[1] is not None else mono[0], color=colours.get("monolith"), alpha=0.15)
    right.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
    right.set_ylim(bottom=0)
    right.set_xlabel("network round trip (ms; x: no rate passed)")
    right.set_ylabel(f"throughput with p99 within {slo_us / 1e3:g} ms (req/s)" if slo_us else "throughput at the SLO (req/s)")
    right.grid(True, which="both", alpha=0.3)
    if swept or mono:
        right.legend(fontsize=8)
    right.set_title("Throughput at the SLO" + ("" if swept else " (not swept)"))
    # Each round trip measured is a tick of its own: 0 sits on the axis's linear part, left of the rest.
    ticks = [p["round_trip_us"] / 1e3 for p in points]
    for ax in (left, right):
        ax.set_xlim(-linthresh * 0.3, max(ticks) * 1.5 if max(ticks) > 0 else 1)
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.minorticks_off()
    fig.suptitle("What the split costs as its processes move apart")
    return fig


def payload_chart(plt, payload, colours):
    """The latency each deployment adds over the monolith at p50 (median of paired differences,
    95% CI) against the bytes crossing the split's hops per request, with the line fitted to the
    steps without errors; left the response sweep (the search's limit), right the request sweep
    (the quote's lines). A step with errors is drawn as an x on the axis, never as a latency."""
    fig, panels = plt.subplots(1, 2, figsize=(9.6, 4.6))
    titles = {"response": "Response size (search limit 1 → 100)", "request": "Request size (quote lines 1 → 50)"}
    others = ["#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    deployments = list(dict.fromkeys(s["deployment"] for s in payload["series"]))
    colour = {d: colours.get(d) or others[i % len(others)] for i, d in enumerate(deployments)}
    for ax, sweep in zip(panels, ("response", "request")):
        drawn = False
        for s in (s for s in payload["series"] if s["sweep"] == sweep):
            c = colour[s["deployment"]]
            good = [p for p in s["points"] if p.get("added_p50_us") is not None]
            if good:
                x = [p["hop_bytes"] / 1024 for p in good]
                y = [p["added_p50_us"] for p in good]
                ci = [p.get("added_p50_us_ci95") or [v, v] for p, v in zip(good, y)]
                errors = [[max(0, v - lo) for v, (lo, _) in zip(y, ci)], [max(0, hi - v) for v, (_, hi) in zip(y, ci)]]
                ax.errorbar(x, y, yerr=errors, fmt="o", capsize=3, color=c, label=f"{s['deployment']}: added p50 (95% CI)")
                for p, xv, yv in zip(good, x, y):
                    ax.annotate(str(p["size"]), (xv, yv), textcoords="offset points", xytext=(4, 4), fontsize=7, color=c)
                drawn = True
            bad = [p for p in s["points"] if p.get("added_p50_us") is None]
            if bad:
                ax.plot([p["hop_bytes"] / 1024 for p in bad], [0] * len(bad), "x", color="black", markersize=9, clip_on=False,
                        label=f"{s['deployment']}: step with errors (not fitted)")
            fit = s.get("fit")
            if fit:
                xs = [0, max(p["hop_bytes"] for p in s["points"]) / 1024 * 1.05]
                r2 = f", R² {fit['r2']:.2f}" if fit.get("r2") is not None else ""
                ax.plot(xs, [fit["intercept_us"] + fit["slope_us_per_kib"] * v for v in xs], "-", color=c, alpha=0.7,
                        label=f"{s['deployment']}: {fit['intercept_us']:.1f} µs + {fit['slope_us_per_kib']:.2f} µs/KiB{r2}")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlim(left=0)
        ax.set_xlabel("KiB across the split's hops per request")
        ax.set_ylabel("added over the monolith, p50 (µs)")
        ax.grid(True, alpha=0.3)
        if drawn:
            ax.legend(fontsize=7, loc="lower right")
        ax.set_title(titles[sweep] + ("" if drawn else ": not measured"), fontsize=10)
    fig.suptitle("What a deployment adds as the bodies crossing its hops grow")


BREAKDOWN_PARTS = [("logic_p50_us", "business logic", "#2ca02c"), ("codec_p50_us", "codec", "#ff7f0e"),
                   ("framing_p50_us", "framing + kernel + loopback", "#9467bd"), ("queue_p50_us", "queueing", "#8c564b")]


def breakdown_chart(plt, breakdown):
    """Left: each deployment's own parts, a stacked bar per route and deployment. Right: what each
    deployment adds over the monolith, part by part, with the measured added p50 as a mark."""
    deployments = breakdown["deployments"]
    routes = []
    for d in deployments:
        for r in d["routes"]:
            if r["name"] not in routes:
                routes.append(r["name"])
    by = {(d["name"], r["name"]): r for d in deployments for r in d["routes"]}
    base = next((d for d in deployments if d["name"] == "monolith"), None)
    others = [d for d in deployments if base is None or d["name"] != "monolith"]
    fig, axes = plt.subplots(1, 2 if base and others else 1, figsize=(9.5, 4.8), squeeze=False)  # the page is 1100 px wide
    # Long topology names do not fit over a bar: each bar is numbered, the numbers keyed below.
    long_names = any(len(d["name"]) > 10 for d in deployments)
    tag = {d["name"]: (str(k + 1) if long_names else d["name"]) for k, d in enumerate(deployments)}
    numbered = "bars in each group: " + "; ".join(f"{k + 1} {d['name']}" for k, d in enumerate(deployments)) if long_names else None
    left = axes[0][0]
    width = 0.8 / max(1, len(deployments))
    hatches = ["", "//", "..", "xx", "\\\\"]
    for k, d in enumerate(deployments):
        for i, route in enumerate(routes):
            r = by.get((d["name"], route))
            if not r:
                continue
            bottom = 0
            x = i - 0.4 + width * (k + 0.5)
            for key, label, colour in BREAKDOWN_PARTS:
                v = max(0, r[key])
                left.bar(x, v, width * 0.95, bottom=bottom, color=colour, hatch=hatches[k % len(hatches)], edgecolor="white",
                         label=label if k == 0 and i == 0 else None)
                bottom += v
            left.plot([x - width * 0.45, x + width * 0.45], [r["latency_p50_us"]] * 2, color="black", linewidth=1.5,
                      label="latency p50" if k == 0 and i == 0 else None)
            left.text(x, max(bottom, r["latency_p50_us"]), tag[d["name"]], ha="center", va="bottom", fontsize=7, rotation=0 if long_names else 90)
    left.set_xticks(range(len(routes)))
    left.set_xticklabels(routes, fontsize=8)
    left.set_ylabel("p50 (µs)")
    left.set_title("Each deployment: where a request's time goes (p50 of each part)", fontsize=10)
    left.grid(True, axis="y", alpha=0.3)
    left.legend(fontsize=7, loc="upper left")
    if base and others:
        right = axes[0][1]
        width = 0.8 / len(others)
        for k, d in enumerate(others):
            for i, route in enumerate(routes):
                r, b = by.get((d["name"], route)), by.get(("monolith", route))
                if not r or not b:
                    continue
                x = i - 0.4 + width * (k + 0.5)
                up, down = 0, 0
                for key, label, colour in BREAKDOWN_PARTS:
                    v = r[key] - b[key]
                    if v >= 0:
                        right.bar(x, v, width * 0.95, bottom=up, color=colour, hatch=hatches[(k + 1) % len(hatches)], edgecolor="white")
                        up += v
                    else:
                        right.bar(x, v, width * 0.95, bottom=down, color=colour, hatch=hatches[(k + 1) % len(hatches)], edgecolor="white")
                        down += v
                added = r["latency_p50_us"] - b["latency_p50_us"]
                right.plot([x - width * 0.45, x + width * 0.45], [added] * 2, color="black", linewidth=1.5,
                           label="measured added p50" if k == 0 and i == 0 else None)
                right.text(x, max(up, added), tag[d["name"]], ha="center", va="bottom", fontsize=7, rotation=0 if long_names else 90)
        right.axhline(0, color="grey", linewidth=0.8)
        right.set_xticks(range(len(routes)))
        right.set_xticklabels(routes, fontsize=8)
        right.set_ylabel("added over the monolith at p50 (µs)")
        right.set_title("What each deployment adds over the monolith, part by part", fontsize=10)
        right.grid(True, axis="y", alpha=0.3)
        right.legend(fontsize=7, loc="upper left")
    if numbered:
        import textwrap
        fig.text(0.5, 0.01, "\n".join(textwrap.wrap(numbered, 150)), ha="center", va="bottom", fontsize=7)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        fig.laid_out = True
    return fig


def charts(report, directory):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(directory, exist_ok=True)
    made, beside = [], {}
    deployments = report["deployments"]
    colours = {"monolith": "#1f77b4", "split": "#d62728"}
    others = ["#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"]
    for name in deployments:  # every other topology a colour of its own, in the report's order
        if name not in colours:
            colours[name] = others[(len(colours) - 2) % len(others)]

    def save(fig, name, title, section=None):
        path = os.path.join(directory, name)
        if section is None and not getattr(fig, "laid_out", False):  # a fault's chart, or one with a key below, has laid itself out
            fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        (beside.setdefault(section, []) if section else made).append((title, path))

    for i, (spec, sides) in enumerate(faults_of(report)):
        fig = fault_chart(plt, spec, sides, report["scenario"].get("slo_p99_us"))
        name = re.sub(r"[^A-Za-z0-9]+", "_", spec).strip("_")
        save(fig, f"fault_{i + 1}_{name}.png", f"{spec}: good answers per second and p99 per route, slice by slice", section=(i, spec))

    if any(d["sweep"] for d in deployments.values()):
        fig, ax = plt.subplots(figsize=(7, 4.2))
        for name, d in deployments.items():
            steps = sorted(d["sweep"], key=lambda s: s["rate"])
            if not steps:
                continue
            x = [s["rate"] for s in steps]
            ax.plot(x, [s["p99_us"] for s in steps], "o-", color=colours.get(name), label=f"{name} p99 (attempts merged)")
            ax.plot(x, [s["attempts"][-1]["latency_us"]["p50"] for s in steps], "s--", color=colours.get(name), alpha=0.6, label=f"{name} p50")
            for s in steps:
                if s["outcome"] != "passed":
                    ax.plot([s["rate"]], [s["p99_us"]], "x", color="black", markersize=8)
            bounds = d.get("throughput_at_slo_bounds")
            if bounds:
                ax.axvspan(bounds["low_rps"], bounds["high_rps"] or bounds["low_rps"], color=colours.get(name), alpha=0.15)
        slo = report["scenario"].get("slo_p99_us")
        if slo:
            ax.axhline(slo, color="grey", linestyle=":", label="SLO (p99)")
        ax.set_xlabel("offered rate (requests/s; shaded: capacity bounds; x: failed or inconclusive)")
        ax.set_ylabel("latency from due time (µs, log)")
        ax.set_yscale("log")
        ax.set_xscale("log")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title("Latency against offered rate")
        save(fig, "latency_vs_rate.png", "Latency against offered rate (the sweep and its bisection)")

    fig, ax = plt.subplots(figsize=(7, 4.2))
    drawn = False
    for name, d in deployments.items():
        merged = None
        for run in d["compare"]:
            h = Histogram(run["histogram"])
            if merged is None:
                merged = h
            else:
                merged.merge(h)
        if merged and merged.counts:
            spec = [(p, v) for p, v in merged.spectrum() if p < 100]
            ax.plot([1 / (1 - p / 100) for p, _ in spec], [v / 1e3 for _, v in spec], color=colours.get(name), label=name)
            drawn = True
    if drawn:
        ax.set_xscale("log")
        ticks = [1, 2, 10, 100, 1000, 10000]
        ax.set_xticks(ticks)
        ax.set_xticklabels(["0%", "50%", "90%", "99%", "99.9%", "99.99%"])
        ax.set_xlabel("percentile")
        ax.set_ylabel("response time (µs)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        ax.set_title("Percentile spectrum at the compare rate")
        save(fig, "percentile_spectrum.png", "Percentile spectrum (compare phase, all repetitions merged)")
    else:
        plt.close(fig)

    summaries = report.get("answer", {}).get("deployments", {})
    names = [n for n in deployments if summaries.get(n, {}).get("cpu_us_per_request") is not None]
    if names:
        values = [summaries[n]["cpu_us_per_request"] for n in names]
        if len(names) > 2 or max(len(n) for n in names) > 12:  # long topology names read across, one bar a line
            fig, ax = plt.subplots(figsize=(8, 0.5 * len(names) + 1.4))
            ax.barh(names, values, color=[colours.get(n, "grey") for n in names])
            ax.invert_yaxis()
            for i, v in enumerate(values):
                ax.text(v, i, f" {v:.1f}", va="center")
            ax.set_xlabel("CPU per request (µs, all processes)")
            ax.set_title("CPU per request at the compare rate")
            save(fig, "cpu_per_request.png", "CPU per request (median over repetitions)")
            names = []
    if names:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.bar(names, values, color=[colours.get(n, "grey") for n in names])
        for i, v in enumerate(values):
            ax.text(i, v, f"{v:.1f}", ha="center", va="bottom")
        ax.set_ylabel("CPU per request (µs, all processes)")
        ax.set_title("CPU per request at the compare rate")
        save(fig, "cpu_per_request.png", "CPU per request (median over repetitions)")

    routes = report.get("answer", {}).get("routes")
    if routes:
        labels = list(routes)
        fig, ax = plt.subplots(figsize=(7, 3.8))
        x = range(len(labels))
        for offset, key, label in ((-0.2, "added_p50_us", "added p50"), (0.2, "added_p99_us", "added p99")):
            values = [routes[r][key] for r in labels]
            cis = [routes[r].get(key + "_ci95") or [v, v] for r, v in zip(labels, values)]
            errors = [[max(0, v - lo) for v, (lo, hi) in zip(values, cis)], [max(0, hi - v) for v, (lo, hi) in zip(values, cis)]]
            ax.bar([i + offset for i in x], values, width=0.4, label=f"{label} (95% CI)", yerr=errors, capsize=3)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(list(x))
        ax.set_xticklabels(labels)
        who = report["answer"].get("compared", "split")
        ax.set_ylabel(f"µs {who} adds (paired)")
        ax.legend()
        ax.set_title(f"Latency {who} adds, per route")
        save(fig, "added_latency.png", f"Latency {who} adds, per route: median of paired differences, 95% CI")

    comparisons = report.get("answer", {}).get("comparisons", {})
    if len(comparisons) > 1:
        names = list(comparisons)
        labels = list(next(iter(comparisons.values())).get("routes", {}))
        fig, ax = plt.subplots(figsize=(min(10, max(7, 0.45 * len(labels) * len(names))), 4.6))
        width = 0.8 / len(names)
        for k, name in enumerate(names):
            routes = comparisons[name].get("routes", {})
            values = [routes.get(r, {}).get("added_p50_us", 0) for r in labels]
            cis = [routes.get(r, {}).get("added_p50_us_ci95") or [v, v] for r, v in zip(labels, values)]
            errors = [[max(0, v - lo) for v, (lo, hi) in zip(values, cis)], [max(0, hi - v) for v, (lo, hi) in zip(values, cis)]]
            ax.bar([i - 0.4 + width * (k + 0.5) for i in range(len(labels))], values, width=width, yerr=errors, capsize=2,
                   color=colours.get(name), label=name)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(list(range(len(labels))))
        ax.set_xticklabels(labels)
        ax.set_ylabel("µs added at p50 against the monolith (paired)")
        ax.legend(fontsize=8)
        ax.set_title("Latency each topology adds, per route")
        save(fig, "topologies.png", "Topologies: the latency each adds against the monolith at p50, per route (median of paired differences, 95% CI)")

    scaled = {n: d["scaling"] for n, d in deployments.items() if d.get("scaling") and d["scaling"].get("points")}
    if scaled:
        fig, ax = plt.subplots(figsize=(7, 4.2))
        for name, s in scaled.items():
            points = [p for p in s["points"] if p.get("throughput_at_slo_bounds")]
            if not points:
                continue
            cores = [p["cores"] for p in points]
            low = [p["throughput_at_slo_bounds"]["low_rps"] for p in points]
            high = [p["throughput_at_slo_bounds"]["high_rps"] or p["throughput_at_slo_bounds"]["low_rps"] for p in points]
            ax.errorbar(cores, low, yerr=[[0] * len(low), [h - l for h, l in zip(high, low)]], fmt="o-", capsize=3, color=colours.get(name),
                        label=f"{name}: replicas of {s['process']} ({', '.join(str(p['replicas']) for p in points)})")
            one = points[0]
            if one["replicas"] == 1:
                per_replica = one["throughput_at_slo_bounds"]["low_rps"]
                ax.plot([one["cores"], one["cores"] + (points[-1]["replicas"] - 1) * s["cores_per_replica"]],
                        [per_replica, per_replica * points[-1]["replicas"]], ":", color=colours.get(name), label=f"{name}: ideal (n × one replica)")
        ax.set_xlabel("cores allotted (every process held to its share)")
        ax.set_ylabel("throughput with p99 within the SLO (req/s)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title("Throughput at the SLO against cores, as replicas are added")
        save(fig, "scaling.png", "Scaling: throughput at the SLO against cores allotted (bars: up to the lowest rate that failed)")
    distance = report.get("answer", {}).get("distance")
    if distance and distance.get("points"):
        fig = distance_chart(plt, distance, report["scenario"].get("slo_p99_us"), colours)
        save(fig, "distance.png", "Network distance: the latency the split adds (median of paired differences, 95% CI) and throughput at the SLO, "
                                  "against the round trip between its processes")
    payload = report.get("answer", {}).get("payload")
    if payload and payload.get("series"):
        fig = payload_chart(plt, payload, colours)
        save(fig, "payload.png", "Payload size: the latency each deployment adds over the monolith at p50 (median of paired differences, 95% CI) "
                                 "against the request and answer bodies crossing the split's hops per request, labelled with the limit or "
                                 "the lines, and the least-squares line a + b·bytes")


    breakdown = report.get("breakdown")
    if breakdown and breakdown.get("deployments"):
        fig = breakdown_chart(plt, breakdown)
        save(fig, "breakdown.png", "Breakdown: each route's p50 split into business logic, codec, framing + kernel + loopback and queueing, "
                                   "per deployment and as added over the monolith")
    return made, beside


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    run_dir = sys.argv[1]
    try:
        report = json.load(open(os.path.join(run_dir, "report.json")))
        md = open(os.path.join(run_dir, "report.md")).read()
    except (OSError, ValueError) as e:
        print(f"plot_report.py: cannot read the report in {run_dir}: {e}", file=sys.stderr)
        return 2
    try:
        made, beside = charts(report, os.path.join(run_dir, "charts"))
        note = ""
    except ImportError:
        made, beside = [], {}
        note = "<p><em>No charts: matplotlib is not installed (Debian: python3-matplotlib; scripts/install-deps.sh installs it). Then run scripts/plot_report.py on this directory.</em></p>"

    def figures_of(items, css=""):
        return "".join(
            f'<figure{css}><img alt="{html.escape(t)}" src="data:image/png;base64,{base64.b64encode(open(p, "rb").read()).decode()}">'
            f"<figcaption>{html.escape(t)}</figcaption></figure>" for t, p in items)

    figures = figures_of(made)
    # Each fault's chart at the end of its own section, in the order the sections come.
    after_section = {}
    for (_, spec), items in sorted(beside.items()):
        after_section.setdefault(spec, []).append(figures_of(items, ' class="wide"'))
    # The title and the headline first, the charts after them, then the tables.
    cut = md.find("\n## ")
    head, rest = (md, "") if cut < 0 else (md[:cut], md[cut:])
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>splitbench {html.escape(report.get('id', ''))}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; overflow-wrap: anywhere; }}
th:first-child, td:first-child {{ text-align: left; white-space: nowrap; }}
pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
figure {{ display: inline-block; margin: 0.5em; }} figcaption {{ font-size: 0.85em; color: #555; }}
figure.wide {{ display: block; margin: 1em 0; }} figure.wide img {{ max-width: 100%; }}
blockquote {{ border-left: 4px solid #d62728; margin: 0; padding-left: 1em; }}
</style></head><body>
{markdown_to_html(head)}
{note}
<div class="charts">{figures}</div>
{markdown_to_html(rest, after_section)}
</body></html>
"""
    with open(os.path.join(run_dir, "report.html.tmp"), "w") as f:
        f.write(page)
    os.replace(os.path.join(run_dir, "report.html.tmp"), os.path.join(run_dir, "report.html"))
    print(f"plot_report.py: {len(made) + sum(len(v) for v in beside.values())} charts and report.html in {run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
