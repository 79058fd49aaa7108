#!/usr/bin/env python3
"""Turns a bench/run.sh result directory (raw.csv, gc-*.log, time-*.txt) into tables,
rounds.csv and summary.json. Usage: report.py RESULT_DIR"""
import csv
import glob
import json
import os
import re
import statistics
import sys

TIMES = ["b1_tar_zstd", "drover_full", "restic_full",
         "b3_unzstd_untar", "drover_restore", "restic_restore",
         "drover_incr", "restic_incr", "drover_nochange", "restic_nochange"]

# name, numerator, denominator, target (ratio >= target passes), meaning
RATIOS = [
    ("full", "b1_tar_zstd", "drover_full", 0.6, "B1 / drover full backup"),
    ("restore", "b3_unzstd_untar", "drover_restore", 0.7, "B3 / drover restore"),
    ("restic_full", "b1_tar_zstd", "restic_full", None, "B1 / restic full backup"),
    ("restic_restore", "b3_unzstd_untar", "restic_restore", None, "B3 / restic restore"),
    ("full_vs_restic", "restic_full", "drover_full", 1.0, "restic / drover full backup"),
    ("restore_vs_restic", "restic_restore", "drover_restore", None, "restic / drover restore"),
    ("incr_vs_restic", "restic_incr", "drover_incr", 1.0, "restic / drover incremental (5%)"),
    ("nochange_vs_restic", "restic_nochange", "drover_nochange", 1.0, "restic / drover no-change"),
]

UNIT = {"K": 1 / 1024, "M": 1, "G": 1024}
GC_RE = re.compile(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)")


def gc_stats(path):
    """(max heap before GC, max heap after GC, max committed, GC count) in MiB, from -Xlog:gc."""
    before = after = committed = 0.0
    n = 0
    exit_used = None
    with open(path, errors="replace") as f:
        for line in f:
            m = GC_RE.search(line)
            if m:
                n += 1
                before = max(before, int(m.group(1)) * UNIT[m.group(2)])
                after = max(after, int(m.group(3)) * UNIT[m.group(4)])
                committed = max(committed, int(m.group(5)) * UNIT[m.group(6)])
            m = re.search(r"garbage-first heap\s+total (?:reserved )?(\d+)K, (?:committed \d+K, )?used (\d+)K", line)
            if m:
                exit_used = int(m.group(2)) / 1024
    return {"gc_count": n, "max_before_gc_mib": round(before, 1), "max_after_gc_mib": round(after, 1),
            "max_committed_mib": round(committed, 1),
            "used_at_exit_mib": None if exit_used is None else round(exit_used, 1)}


def rss_mib(path):
    with open(path) as f:
        for line in f:
            if "Maximum resident set size" in line:
                return round(int(line.split(":")[1]) / 1024, 1)
    return None


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
        for name, num, den, _, _ in RATIOS:
            a, b = val.get((rnd, num)), val.get((rnd, den))
            row["ratio_" + name] = round(a / b, 3) if a and b else None
        for k in ("size_tar_zst", "size_drover_repo", "size_restic_repo", "changed_files", "changed_bytes"):
            row[k] = val.get((rnd, k))
        per_round.append(row)

    def med(key):
        xs = [r[key] for r in per_round if r[key] is not None]
        return round(statistics.median(xs), 3) if xs else None

    medians = {k: med(k) for k in TIMES + ["ratio_" + r[0] for r in RATIOS]}

    # memory of every drover JVM
    mem = []
    for p in sorted(glob.glob(os.path.join(out, "gc-r*-*.log"))):
        m = re.match(r"gc-r(\d+)-(.*)\.log", os.path.basename(p))
        rnd, metric = int(m.group(1)), m.group(2)
        entry = {"round": rnd, "metric": metric}
        entry.update(gc_stats(p))
        tp = os.path.join(out, "time-r%d-%s.txt" % (rnd, metric))
        entry["max_rss_mib"] = rss_mib(tp) if os.path.exists(tp) else None
        mem.append(entry)

    # ---- print
    w = 9
    print()
    print("drover benchmark  %s  data: %s files, %.0f MiB  rounds: %d  caches: %s" % (
        env.get("date"), env.get("data_files"), data_mib, len(rounds),
        "dropped before each measurement" if env.get("drop_caches") == "1" else "warm"))
    print("java: %s" % env.get("java"))
    print()
    print("wall times (s, each including a final sync)")
    short = {"b1_tar_zstd": "B1", "drover_full": "d.full", "restic_full": "r.full",
             "b3_unzstd_untar": "B3", "drover_restore": "d.rest", "restic_restore": "r.rest",
             "drover_incr": "d.incr", "restic_incr": "r.incr", "drover_nochange": "d.noch",
             "restic_nochange": "r.noch"}
    print("round " + "".join("%*s" % (w, short[t]) for t in TIMES))
    for r in per_round:
        print("%5d " % r["round"] + "".join("%*s" % (w, "-" if r[t] is None else "%.2f" % r[t]) for t in TIMES))
    print("  med " + "".join("%*s" % (w, "-" if medians[t] is None else "%.2f" % medians[t]) for t in TIMES))
    print()
    print("throughput of the full backup over %.0f MiB (median): B1 %.0f MiB/s, drover %.0f MiB/s, restic %.0f MiB/s" % (
        data_mib, data_mib / medians["b1_tar_zstd"], data_mib / medians["drover_full"], data_mib / medians["restic_full"]))
    print()
    print("ratios (higher is better for drover)")
    print("%-20s %-34s %7s " % ("ratio", "meaning", "target") + "".join("%7s" % ("r%d" % r) for r in rounds) + "  median  ")
    for name, _, _, target, meaning in RATIOS:
        m = medians["ratio_" + name]
        verdict = "" if target is None or m is None else ("PASS" if m >= target else "MISS")
        print("%-20s %-34s %7s " % (name, meaning, "" if target is None else ">=%.1f" % target)
              + "".join("%7s" % ("-" if r["ratio_" + name] is None else "%.2f" % r["ratio_" + name]) for r in per_round)
              + "  %6s  %s" % ("-" if m is None else "%.2f" % m, verdict))
    print()
    r0 = per_round[-1]
    if r0["size_tar_zst"]:
        print("stored size (last round): tar.zst %.0f MiB, drover repo %.0f MiB, restic repo %.0f MiB; "
              "incremental rewrote %d files, %.0f MiB" % (
                  r0["size_tar_zst"] / 2**20, r0["size_drover_repo"] / 2**20, r0["size_restic_repo"] / 2**20,
                  r0["changed_files"] or 0, (r0["changed_bytes"] or 0) / 2**20))
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

    # ---- files
    with open(os.path.join(out, "rounds.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=list(per_round[0].keys()))
        wr.writeheader()
        wr.writerows(per_round)
    summary = {"env": env, "data_mib": round(data_mib, 1), "rounds": per_round, "medians": medians,
               "targets": {"ratio_" + n: t for n, _, _, t, _ in RATIOS if t is not None},
               "memory": mem}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print("wrote %s/{raw.csv,rounds.csv,summary.json}" % out)


if __name__ == "__main__":
    main()
