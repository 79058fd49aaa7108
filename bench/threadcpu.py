#!/usr/bin/env python3
"""threadcpu.py CMD...: runs CMD and reports CPU seconds per thread (polled from /proc every 0.2 s,
so threads that end between polls are undercounted). Groups JVM threads by name."""
import collections, os, subprocess, sys, time
tick = os.sysconf("SC_CLK_TCK")
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
seen = {}
t0 = time.time()
while p.poll() is None:
    try:
        for tid in os.listdir("/proc/%d/task" % p.pid):
            try:
                comm = open("/proc/%d/task/%s/comm" % (p.pid, tid)).read().strip()
                st = open("/proc/%d/task/%s/stat" % (p.pid, tid)).read().rsplit(")", 1)[1].split()
                seen[tid] = (comm, (int(st[11]) + int(st[12])) / tick)
            except OSError:
                pass
    except OSError:
        pass
    time.sleep(0.2)
wall = time.time() - t0
groups = collections.Counter()
for comm, cpu in seen.values():
    name = comm.rstrip("0123456789").rstrip("#- ") or comm
    groups[name] += cpu
print("wall %.2f s, threads seen %d, cpu seen %.2f s" % (wall, len(seen), sum(groups.values())))
for name, cpu in groups.most_common(8):
    print("  %6.2f s  %s" % (cpu, name))
print("  threads named 'java' (the first is the main thread; unnamed native threads, e.g. zstd workers, follow):")
for tid, (comm, cpu) in sorted(seen.items(), key=lambda kv: int(kv[0])):
    if comm == "java" and cpu >= 0.05:
        print("    tid %s%s %6.2f s" % (tid, " (main)" if int(tid) == p.pid + 1 else "", cpu))
