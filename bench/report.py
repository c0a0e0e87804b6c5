#!/usr/bin/env python3
"""bench/report.py TMPDIR OUTDIR - the one table, the JSON and the chart.
bench/report.py --markdown RESULT.json - that run's table as Markdown (docs/performance.md).

Reads the rows bench/run.sh collected (TMPDIR/rows.tsv: part, name, unetdev,
anchor name, anchor, unit, better, target, instr/pkt, note), prints the table,
writes OUTDIR/bench-<date>.json and OUTDIR/bench-<date>.png (and latest.*).
The ratio is "unetdev is this many times as fast as the anchor": unetdev /
anchor for rates, anchor / unetdev for costs."""
import json
import math
import os
import shutil
import subprocess
import sys



def fmt(v, unit=""):
    if v is None:
        return "NA"
    if abs(v) >= 100:
        return "%.0f" % v
    return "%.3g" % v if abs(v) < 10 else "%.1f" % v


def markdown(path):
    """Print the rows of a saved run as the Markdown table of docs/performance.md."""
    run = json.load(open(path))
    print("| part | benchmark | unetdev | anchor | anchor figure | unit | ratio | target | holds "
          "| instr/pkt |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in run["rows"]:
        holds = {True: "yes", False: "**no**", None: "–"}[r["holds"]]
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["part"], r["name"], fmt(r["unetdev"]), r["anchor_name"] or "-",
            fmt(r["anchor"]) if r["anchor"] is not None else "-", r["unit"],
            fmt(r["ratio"]) if r["ratio"] is not None else "–", r["target"] or "-", holds,
            fmt(r["instr_per_pkt"]) if r["instr_per_pkt"] is not None else "–"))
    n_t = sum(1 for r in run["rows"] if r["holds"] is not None)
    print("\n%d of %d targets held." % (sum(1 for r in run["rows"] if r["holds"]), n_t))


if len(sys.argv) == 3 and sys.argv[1] == "--markdown":
    markdown(sys.argv[2])
    sys.exit(0)
tmp, out = sys.argv[1], sys.argv[2]


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def target_holds(target, ratio):
    if ratio is None or target in ("-", ""):
        return None
    if target.startswith(">="):
        return ratio >= float(target[2:])
    lo, hi = (float(x) for x in target.split(".."))
    return lo <= ratio <= hi


rows = []
path = os.path.join(tmp, "rows.tsv")
for line in open(path) if os.path.exists(path) else []:
    f = line.rstrip("\n").split("\t") + [""] * 10
    u, a = num(f[2]), num(f[4])
    ratio = None
    if u and a:
        ratio = u / a if f[6] == "higher" else a / u
    rows.append({"part": f[0], "name": f[1], "unetdev": u, "anchor_name": f[3], "anchor": a,
                 "unit": f[5], "better": f[6], "target": f[7], "ratio": ratio,
                 "holds": target_holds(f[7], ratio), "instr_per_pkt": num(f[8]),
                 "note": f[9]})
m = json.load(open(os.path.join(tmp, "machine.json")))
sk = os.path.join(tmp, "skipped.txt")
skipped = [s.strip() for s in open(sk)] if os.path.exists(sk) else []




print("\nunetdev benchmarks, %s" % m["date"])
print("machine: %s, %s cores, kernel %s, %s, %s, dpdk %s, git %s, load at start %s" %
      (m["cpu"], m["cores"], m["kernel"], m["os"], m["compiler"], m["dpdk"] or "-",
       m["git"], " ".join(m["loadavg_start"])))
hdr = "%-4s %-22s %9s %-29s %9s %-7s %7s %-9s %-5s %9s  %s"
print(hdr % ("part", "benchmark", "unetdev", "anchor", "anchor", "unit", "ratio", "target",
             "holds", "instr/pkt", "note"))
print("-" * 140)
for r in rows:
    holds = {True: "yes", False: "NO", None: "-"}[r["holds"]]
    print(hdr % (r["part"], r["name"][:22], fmt(r["unetdev"]), r["anchor_name"][:29],
                 fmt(r["anchor"]), r["unit"], fmt(r["ratio"]), r["target"], holds,
                 fmt(r["instr_per_pkt"]), r["note"]))
for s in skipped:
    print(s)
bz = os.path.join(tmp, "busy.tsv")
busy = dict(l.split() for l in open(bz)) if os.path.exists(bz) else {}
if busy:
    print("machine busy (all cores) in the second before each part: " +
          ", ".join("%s %s%%" % kv for kv in busy.items()))
n_t = sum(1 for r in rows if r["holds"] is not None)
n_ok = sum(1 for r in rows if r["holds"])
print("targets: %d of %d hold" % (n_ok, n_t))

os.makedirs(out, exist_ok=True)
stamp = m["date"].replace(":", "")
base = os.path.join(out, "bench-%s" % stamp)
with open(base + ".json", "w") as fh:
    json.dump({"machine": m, "busy_before_part": busy, "rows": rows, "skipped": skipped}, fh, indent=1)
shutil.copyfile(base + ".json", os.path.join(out, "latest.json"))
print("results: %s.json" % base)

# Chart: the ratio of every row that has one (log scale), target as a mark.
chart = [r for r in rows if r["ratio"]]
if chart and shutil.which("gnuplot"):
    dat = os.path.join(tmp, "chart.dat")
    with open(dat, "w") as fh:
        for i, r in enumerate(chart):
            t = r["target"]
            tv = float(t[2:]) if t.startswith(">=") else (
                float(t.split("..")[0]) if ".." in t else float("nan"))
            col = 0x2e8b57 if r["holds"] else (0xb22222 if r["holds"] is False else 0x4682b4)
            fh.write('%d "%s %s" %g %g %d\n' % (i, r["part"], r["name"], r["ratio"], tv, col))
    png = base + ".png"
    vals = [r["ratio"] for r in chart]
    lo = 10 ** math.floor(math.log10(min(vals + [0.5]) / 2))
    hi = 10 ** math.ceil(math.log10(max(vals + [2.0]) * 3))
    gp = """
set terminal pngcairo size 1200,%d font 'DejaVu Sans,10'
set output '%s'
set title "unetdev / anchor, measured in one run (%s, %s cores, kernel %s)\\ngreen: target holds, red: missed, blue: no target; black bar: target" noenhanced
set logscale x 10
set xrange [%g:%g]
set xlabel 'ratio (times as fast as the anchor; log scale)'
set ytics nomirror noenhanced
set yrange [-1:%d] reverse
set grid xtics
set style fill solid 0.8 noborder
unset key
plot '%s' using (sqrt($3*LO)):1:(LO):($3):($1-0.35):($1+0.35):5:ytic(2) with boxxyerror lc rgb variable, \\
     '' using 4:1:(0):(0.45) with vectors nohead lw 3 lc rgb 'black', \\
     '' using ($3*1.15):1:(sprintf('%%.3g', $3)) with labels left font ',9'
""" % (160 + 28 * len(chart), png, m["date"], m["cores"], m["kernel"], lo, hi, len(chart), dat)
    r = subprocess.run(["gnuplot"], input=gp.replace("LO", "%g" % lo),
                       text=True, capture_output=True)
    if r.returncode == 0 and os.path.exists(png):
        shutil.copyfile(png, os.path.join(out, "latest.png"))
        print("chart: %s" % png)
    else:
        print("chart: gnuplot failed: %s" % r.stderr.strip()[:300])
elif chart:
    print("chart: skipped (no gnuplot; install gnuplot-nox)")
