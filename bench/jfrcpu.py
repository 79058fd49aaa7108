#!/usr/bin/env python3
"""jfrcpu.py REC.jfr: main-thread CPU-time breakdown from jdk.CPUTimeSample (JDK 25, JEP 509;
record with -XX:StartFlightRecording:jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=5ms).
Unlike jdk.ExecutionSample these samples include time in native code (zstd JNI, syscalls)."""
import collections, json, os, subprocess, sys
jfr = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "jfr")
raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "200", "--events", "jdk.CPUTimeSample", sys.argv[1]],
                     check=True, capture_output=True, text=True).stdout
ev = json.loads(raw)["recording"]["events"]
main = [e for e in ev if (e["values"].get("eventThread") or e["values"].get("sampledThread") or {}).get("javaName") == "main"]
print("%d samples, %d on main" % (len(ev), len(main)))
# buckets: first matching key on the stack, checked from the innermost frame outwards
BUCKETS = [
    ("zstd (JNI/FFM calls)", ("luben/zstd",)),
    ("age encrypt/decrypt (ChaCha20-Poly1305)", ("ChaCha20", "Poly1305", "jagged")),
    ("SHA-256", ("sun/security/provider/SHA2", "DigestBase", "MessageDigest")),
    ("index JSON (Jackson)", ("tools/jackson",)),
    ("tar (commons-compress)", ("commons/compress",)),
    ("catalog (H2/Hikari/Flyway)", ("org/h2", "hikari", "flywaydb", "io/drover/core/catalog")),
    ("file I/O syscalls", ("UnixNativeDispatcher", "UnixFileDispatcherImpl", "FileChannelImpl", "FileInputStream", "FileOutputStream")),
    ("restore path checks (SafePaths)", ("SafePaths",)),
    ("config/CLI startup", ("picocli", "ConfigLoader", "snakeyaml", "ClassLoader", "jdk/internal/loader")),
]
def bucket(frames):
    for f in frames:
        for name, keys in BUCKETS:
            if any(k in f for k in keys):
                return name
    return "other: " + (frames[0] if frames else "?")
c = collections.Counter()
self_c = collections.Counter()
for e in main:
    fs = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in (e["values"].get("stackTrace") or {}).get("frames", [])]
    c[bucket(fs)] += 1
    if fs:
        self_c[fs[0]] += 1
for k, n in c.most_common(25):
    print("  %5.1f%%  %s" % (100 * n / len(main), k))
print("top self frames on main:")
for k, n in self_c.most_common(20):
    print("  %5.1f%%  %s" % (100 * n / len(main), k))
