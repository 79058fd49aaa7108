#!/usr/bin/env python3
"""Deterministic benchmark data for bench/run.sh.

  gen.py gen    --dir D --size-mb N --files F [--seed S]   build the tree (once)
  gen.py mutate --dir D --fraction 0.05                    rewrite 5% of the files (new content)
  gen.py reset  --dir D                                    undo the last mutate (back to version 0)

Every file's content is a pure function of (seed, file index, version), so a tree can be put
back into its pristine state cheaply: `reset` regenerates only the files `mutate` rewrote.
The plan (paths, kinds, sizes) is stored in D/../plan.json next to the tree.

Mix, by bytes: ~1/3 incompressible random (a few 1-32 MiB files plus many small ones),
~1/3 CSV-like rows, ~1/3 source-code-like text (Java/C looking lines), in nested directories.
"""
import argparse
import json
import os
import sys

import numpy as np

MIB = 1 << 20


# ---------------------------------------------------------------------------------------------
# plan

def make_plan(size_mb, files, seed):
    rng = np.random.default_rng([seed, 1])
    total = size_mb * MIB
    share = total // 3
    per_kind = max(files // 3, 1)

    # directories: a few top-level projects, nested 1..4 levels deep
    n_dirs = max(files // 24, 4)
    words = ["src", "main", "java", "lib", "util", "core", "data", "export", "reports", "assets",
             "img", "cache", "test", "include", "net", "io", "db", "archive", "2023", "2024",
             "q1", "q2", "q3", "q4", "eu", "us", "logs", "media", "build", "docs"]
    dirs = ["proj%02d" % i for i in range(max(n_dirs // 40, 2))]
    while len(dirs) < n_dirs:
        parent = dirs[int(rng.integers(len(dirs)))]
        if parent.count("/") >= 4:
            continue
        d = "%s/%s%d" % (parent, words[int(rng.integers(len(words)))], int(rng.integers(100)))
        if d not in dirs:
            dirs.append(d)

    entries = []  # [path, kind, size]

    # random: a few large 1-32 MiB files (about 60% of the share, less for small trees)
    large_budget = int(share * 0.6)
    large = []
    while large_budget > MIB:
        s = int(min(rng.uniform(1, 32) * MIB, large_budget))
        large.append(s)
        large_budget -= s
    n_small_rand = max(per_kind - len(large), 1)
    rand_small_total = share - sum(large)

    def small_sizes(n, budget):
        # lognormal sizes scaled to the budget; at least 1 byte each
        raw = rng.lognormal(mean=0.0, sigma=1.2, size=n)
        sizes = np.maximum((raw / raw.sum() * budget).astype(np.int64), 1)
        return [int(x) for x in sizes]

    for s in large:
        entries.append(["bin", "rand", s])
    for s in small_sizes(n_small_rand, rand_small_total):
        entries.append(["dat", "rand", s])
    for s in small_sizes(per_kind, share):
        entries.append(["csv", "csv", s])
    src_ext = ["java", "c", "h", "java", "java", "c"]
    for s in small_sizes(files - len(entries), total - 2 * share):
        entries.append([src_ext[int(rng.integers(len(src_ext)))], "src", s])

    order = rng.permutation(len(entries))
    plan = []
    for n, i in enumerate(order):
        ext, kind, size = entries[int(i)]
        d = dirs[int(rng.integers(len(dirs)))]
        plan.append({"path": "%s/f%05d.%s" % (d, n, ext), "kind": kind, "size": size})
    return plan


# ---------------------------------------------------------------------------------------------
# content

_POOL = {}


def vocab(seed):
    if "vocab" in _POOL:
        return _POOL["vocab"]
    rng = np.random.default_rng([seed, 2])
    syll = ["ab", "ac", "al", "an", "ar", "be", "co", "de", "di", "el", "en", "er", "ex", "fi",
            "ge", "in", "is", "it", "lo", "ma", "me", "ne", "no", "or", "pa", "pe", "po", "qu",
            "re", "ri", "ro", "sa", "se", "st", "ta", "te", "ti", "to", "un", "ur", "va", "ve"]
    out = set()
    while len(out) < 4000:
        k = int(rng.integers(2, 5))
        out.add("".join(syll[int(j)] for j in rng.integers(len(syll), size=k)))
    _POOL["vocab"] = sorted(out)
    return _POOL["vocab"]


def source_pool(seed):
    """~400k Java/C-looking lines; files are built from runs of consecutive pool lines."""
    if "src" in _POOL:
        return _POOL["src"]
    rng = np.random.default_rng([seed, 3])
    v = vocab(seed)
    nv = len(v)
    types = ["int", "long", "String", "byte[]", "List<String>", "Map<String, Long>", "boolean",
             "double", "size_t", "uint32_t", "char *", "Optional<Path>", "void"]
    templates = [
        "{i}{t} {a} = {b}.{c}({d}, {n});",
        "{i}if ({a} == null || {a}.{c}() > {n}) {{",
        "{i}}}",
        "{i}return {a}.{b}({c});",
        "{i}for (int {x} = 0; {x} < {a}.length; {x}++) {{",
        "{i}// {A} the {b} before {c} is {d}, see {e}()",
        "{i}private static final {t} {A2} = {n};",
        "{i}public {t} {b}({t} {a}, {t} {c}) throws IOException {{",
        "{i}{a}.{b}(\"{c} {d}: \" + {e});",
        "{i}throw new IllegalStateException(\"{a} {b} {c}\");",
        "{i}}} else {{",
        "",
        "{i}static int {a}_{b}(struct {c} *{d}, size_t {x}) {{",
        "{i}{a}->{b} = {c}({d}, {n});",
        "{i}#define {A2}_{B2} 0x{h:08x}",
        "{i}#include <{a}/{b}.h>",
        "{i}import io.{a}.{b}.{C};",
        "{i}/** {A} {b} {c} {d} {e}. */",
        "{i}@Override",
        "{i}assert {a} >= {n} : \"{b}\";",
    ]
    lines = []
    n = 400_000
    tpl = rng.integers(len(templates), size=n)
    ind = rng.integers(0, 4, size=n)
    wi = rng.integers(nv, size=(n, 6))
    tt = rng.integers(len(types), size=n)
    nums = rng.integers(0, 100000, size=n)
    hx = rng.integers(0, 2**31, size=n)
    xs = "ijkn"
    for k in range(n):
        w = wi[k]
        a, b, c, d, e, f = (v[int(j)] for j in w)
        lines.append(templates[int(tpl[k])].format(
            i="    " * int(ind[k]), t=types[int(tt[k])], a=a, b=b, c=c, d=d, e=e, n=int(nums[k]),
            x=xs[int(w[5]) & 3], A=a.capitalize(), A2=a.upper(), B2=b.upper(), C=f.capitalize(),
            h=int(hx[k])))
    pool = [s.encode() + b"\n" for s in lines]
    _POOL["src"] = pool
    return pool


def gen_src(rng, size, seed):
    pool = source_pool(seed)
    npool = len(pool)
    out = []
    got = 0
    while got < size:
        start = int(rng.integers(npool))
        run = int(rng.integers(1, 25))
        for k in range(start, min(start + run, npool)):
            out.append(pool[k])
            got += len(pool[k])
    return b"".join(out)[:size]


def gen_csv(rng, size, seed):
    v = vocab(seed)
    nv = len(v)
    est = size // 60 + 2
    cats = ["retail", "wholesale", "online", "partner", "internal", "refund"]
    status = ["OK", "PENDING", "FAILED", "SHIPPED", "CANCELLED"]
    out = [b"id,date,customer,category,sku,qty,unit_price,amount,currency,status\n"]
    got = len(out[0])
    base = int(rng.integers(1_000_000))
    while got < size:
        ids = np.arange(base, base + est)
        base += est
        day = rng.integers(0, 1500, size=est)
        cust = rng.integers(nv, size=est)
        cat = rng.integers(len(cats), size=est)
        sku = rng.integers(0, 50000, size=est)
        qty = rng.integers(1, 200, size=est)
        price = rng.integers(1, 500000, size=est)
        st = rng.integers(len(status), size=est)
        rows = [
            "%d,20%02d-%02d-%02d,%s,%s,SKU-%05d,%d,%d.%02d,%d.%02d,EUR,%s\n" % (
                ids[k], 20 + day[k] // 365, 1 + (day[k] // 31) % 12, 1 + day[k] % 28,
                v[cust[k]], cats[cat[k]], sku[k], qty[k], price[k] // 100, price[k] % 100,
                (price[k] * qty[k]) // 100, (price[k] * qty[k]) % 100, status[st[k]])
            for k in range(est)]
        chunk = "".join(rows).encode()
        out.append(chunk)
        got += len(chunk)
    return b"".join(out)[:size]


def content(entry, index, seed, version):
    rng = np.random.default_rng([seed, 100, index, version])
    size = entry["size"]
    kind = entry["kind"]
    if kind == "rand":
        return rng.bytes(size)
    if kind == "csv":
        return gen_csv(rng, size, seed)
    return gen_src(rng, size, seed)


def write(root, plan, index, seed, version):
    e = plan[index]
    p = os.path.join(root, e["path"])
    with open(p, "wb") as f:
        f.write(content(e, index, seed, version))


# ---------------------------------------------------------------------------------------------
# commands

def meta_path(root):
    return os.path.abspath(root).rstrip("/") + ".plan.json"


def dirty_path(root):
    return os.path.abspath(root).rstrip("/") + ".dirty.json"


def cmd_gen(a):
    plan = make_plan(a.size_mb, a.files, a.seed)
    os.makedirs(a.dir, exist_ok=True)
    for d in sorted({os.path.dirname(e["path"]) for e in plan}):
        os.makedirs(os.path.join(a.dir, d), exist_ok=True)
    for i in range(len(plan)):
        write(a.dir, plan, i, a.seed, 0)
        if i % 2000 == 0:
            print("  generated %d/%d files" % (i, len(plan)), file=sys.stderr)
    with open(meta_path(a.dir), "w") as f:
        json.dump({"seed": a.seed, "plan": plan}, f)
    with open(dirty_path(a.dir), "w") as f:
        json.dump([], f)
    by = {}
    for e in plan:
        by.setdefault(e["kind"], [0, 0])
        by[e["kind"]][0] += 1
        by[e["kind"]][1] += e["size"]
    for k, (n, s) in sorted(by.items()):
        print("  %-4s %6d files %8.1f MiB" % (k, n, s / MIB), file=sys.stderr)


def load(root):
    with open(meta_path(root)) as f:
        m = json.load(f)
    with open(dirty_path(root)) as f:
        dirty = json.load(f)
    return m["seed"], m["plan"], dirty


def cmd_reset(a):
    seed, plan, dirty = load(a.dir)
    for i in dirty:
        write(a.dir, plan, i, seed, 0)
    with open(dirty_path(a.dir), "w") as f:
        json.dump([], f)
    print(len(dirty))


def cmd_mutate(a):
    seed, plan, dirty = load(a.dir)
    rng = np.random.default_rng([seed, 7])  # the same files every round: identical workloads
    n = max(1, round(len(plan) * a.fraction))
    chosen = sorted(int(i) for i in rng.choice(len(plan), size=n, replace=False))
    # record first, so an interrupted mutate is still undone by reset
    with open(dirty_path(a.dir), "w") as f:
        json.dump(sorted(set(dirty) | set(chosen)), f)
    nbytes = 0
    for i in chosen:
        write(a.dir, plan, i, seed, a.version)
        nbytes += plan[i]["size"]
    print("%d %d" % (n, nbytes))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--dir", required=True)
    g.add_argument("--size-mb", type=int, required=True)
    g.add_argument("--files", type=int, required=True)
    g.add_argument("--seed", type=int, default=42)
    m = sub.add_parser("mutate")
    m.add_argument("--dir", required=True)
    m.add_argument("--fraction", type=float, default=0.05)
    m.add_argument("--version", type=int, default=1)
    r = sub.add_parser("reset")
    r.add_argument("--dir", required=True)
    a = ap.parse_args()
    {"gen": cmd_gen, "mutate": cmd_mutate, "reset": cmd_reset}[a.cmd](a)


if __name__ == "__main__":
    main()
