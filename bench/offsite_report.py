#!/usr/bin/env python3
"""Turns a bench/offsite.sh result directory (raw.csv, gc-*.log, time-*.txt) into tables,
rounds.csv and summary.json. Usage: offsite_report.py RESULT_DIR"""
import csv
import glob
import json
import os
import re
import statistics
import sys

from report import gc_stats, rss_mib

TARGETS = ["local", "s3", "sftp"]
TIMES = ["backup_%s" % t for t in TARGETS] + ["restore_%s" % t for t in TARGETS]
TARGET_RATIO = 0.7
# name, numerator (local), denominator (remote): local time / remote time, higher is better
RATIOS = [("%s_%s" % (op, t), "%s_local" % op, "%s_%s" % (op, t)) for op in ("backup", "restore") for t in ("s3", "sftp")]


def main():
    out = sys.argv[1]
    rows = list(csv.DictReader(open(os.path.join(out, "raw.csv"))))
    rounds = sorted({int(r["round"]) for r in rows})
    val = {(int(r["round"]), r["metric"]): float(r["value"]) for r in rows}
    env = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(out, "env.txt")) if "=" in line)
    data_mib = int(env["data_bytes"]) / 2**20

    per_round = []
    for rnd in rounds:
        row = {"round": rnd}
        for t in TIMES:
            row[t] = val.get((rnd, t))
        for name, num, den in RATIOS:
            a, b = val.get((rnd, num)), val.get((rnd, den))
            row["ratio_" + name] = round(a / b, 3) if a and b else None
        for t in TARGETS:
            row["size_" + t] = val.get((rnd, "size_" + t))
        per_round.append(row)

    def med(key):
        xs = [r[key] for r in per_round if r[key] is not None]
        return round(statistics.median(xs), 3) if xs else None

    medians = {k: med(k) for k in TIMES + ["ratio_" + r[0] for r in RATIOS]}

    mem = []
    for p in sorted(glob.glob(os.path.join(out, "gc-r*-*.log"))):
        m = re.match(r"gc-r(\d+)-(.*)\.log", os.path.basename(p))
        entry = {"round": int(m.group(1)), "metric": m.group(2)}
        entry.update(gc_stats(p))
        tp = os.path.join(out, "time-r%s-%s.txt" % (m.group(1), m.group(2)))
        entry["max_rss_mib"] = rss_mib(tp) if os.path.exists(tp) else None
        mem.append(entry)

    w = 10
    print()
    print("drover offsite benchmark  %s  data: %s files, %.0f MiB  rounds: %d  caches: %s" % (
        env.get("date"), env.get("data_files"), data_mib, len(rounds),
        "dropped before each measurement" if env.get("drop_caches") == "1" else "warm"))
    print("java: %s; sshd %s; %s" % (env.get("java"), env.get("sshd"), env.get("s3proxy")))
    print()
    print("wall times (s, each including a final sync)")
    print("round " + "".join("%*s" % (w, t.replace("backup_", "b.").replace("restore_", "r.")) for t in TIMES))
    for r in per_round:
        print("%5d " % r["round"] + "".join("%*s" % (w, "-" if r[t] is None else "%.2f" % r[t]) for t in TIMES))
    print("  med " + "".join("%*s" % (w, "-" if medians[t] is None else "%.2f" % medians[t]) for t in TIMES))
    print()
    print("throughput (median, MiB/s): " + ", ".join(
        "%s %.0f" % (t, data_mib / medians[t]) for t in TIMES if medians[t]))
    print()
    print("ratios local time / remote time (higher is better; 1.0 = as fast as the local repository)")
    print("%-16s %7s " % ("ratio", "target") + "".join("%7s" % ("r%d" % r) for r in rounds) + "  median")
    for name, _, _ in RATIOS:
        m = medians["ratio_" + name]
        verdict = "" if m is None else ("PASS" if m >= TARGET_RATIO else "MISS")
        print("%-16s %7s " % (name, ">=%.1f" % TARGET_RATIO)
              + "".join("%7s" % ("-" if r["ratio_" + name] is None else "%.2f" % r["ratio_" + name]) for r in per_round)
              + "  %6s  %s" % ("-" if m is None else "%.2f" % m, verdict))
    print()
    last = per_round[-1]
    if last["size_local"]:
        print("stored (last round): " + ", ".join(
            "%s %.0f MiB" % (t, (last["size_" + t] or 0) / 2**20) for t in TARGETS))
        print()
    if mem:
        print("drover JVM memory (-Xmx%s, from -Xlog:gc and /usr/bin/time -v)" % env.get("drover_xmx"))
        print("%5s %-16s %5s %12s %12s %12s %10s" % ("round", "run", "GCs", "max before", "max after", "committed", "peak RSS"))
        for e in mem:
            print("%5d %-16s %5d %10.0f M %10.0f M %10.0f M %8s M" % (
                e["round"], e["metric"], e["gc_count"], e["max_before_gc_mib"], e["max_after_gc_mib"],
                e["max_committed_mib"], e["max_rss_mib"]))
        print("max over all runs: heap after GC %.0f MiB, heap before GC %.0f MiB, peak RSS %.0f MiB" % (
            max(e["max_after_gc_mib"] for e in mem), max(e["max_before_gc_mib"] for e in mem),
            max(e["max_rss_mib"] or 0 for e in mem)))
        print()

    with open(os.path.join(out, "rounds.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(per_round[0].keys()))
        wr.writeheader()
        wr.writerows(per_round)
    summary = {"env": env, "data_mib": round(data_mib, 1), "rounds": per_round, "medians": medians,
               "targets": {"ratio_" + n: TARGET_RATIO for n, _, _ in RATIOS}, "memory": mem}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print("wrote %s/{raw.csv,rounds.csv,summary.json}" % out)


if __name__ == "__main__":
    main()
