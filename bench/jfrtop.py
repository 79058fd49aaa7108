#!/usr/bin/env python3
"""Summarises a JFR recording: where the sampled Java threads spend their time.

  jfrtop.py REC.jfr [N]

Prints, for jdk.ExecutionSample (threads running Java code) and jdk.NativeMethodSample (threads
inside a native method, e.g. zstd-jni or a syscall): samples per thread, the top self frames
(top of stack) and the top inclusive methods (anywhere on the stack, counted once per sample).
zstd's own worker threads are native pthreads: JFR never samples them; compare CPU times instead.
"""
import collections
import json
import os
import subprocess
import sys


def frames(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        t = m["type"]["name"] if isinstance(m["type"], dict) else m["type"]
        out.append("%s.%s" % (t, m["name"]))
    return out


def load(rec, event):
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
    raw = subprocess.run([java, "print", "--json", "--stack-depth", "64", "--events", event, rec],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(raw)["recording"]["events"]


def thread_name(event):
    t = event["values"].get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or "?"


def report(rec, event, n):
    events = load(rec, event)
    print("== %s: %d samples" % (event, len(events)))
    if not events:
        return
    threads = collections.Counter(thread_name(e) for e in events)
    print("  per thread: " + ", ".join("%s %d" % kv for kv in threads.most_common(6)))
    self_c = collections.Counter()
    incl = collections.Counter()
    for e in events:
        fs = frames(e)
        if not fs:
            continue
        self_c[fs[0]] += 1
        for f in set(fs):
            incl[f] += 1
    total = len(events)
    print("  top self frames:")
    for f, c in self_c.most_common(n):
        print("    %5.1f%%  %s" % (100 * c / total, f))
    print("  top inclusive (io.drover / zstd / jagged / compress / JDK crypto+io):")
    shown = 0
    for f, c in incl.most_common():
        if any(k in f for k in ("io.drover", "luben", "jagged", "commons.compress", "crypto", "sun.nio", "java.io",
                                "java.nio", "security", "jackson")):
            print("    %5.1f%%  %s" % (100 * c / total, f))
            shown += 1
            if shown >= n:
                break


def main():
    rec = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
        report(rec, event, n)
        print()


if __name__ == "__main__":
    main()
