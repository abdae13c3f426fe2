#!/usr/bin/python3
"""Speed figures of the storefront and the driver, measured against Debian's nginx and wrk.

  scripts/perf.py health   the monolith's /health under wrk -t1 -c10 -d10s, as a ratio to nginx
                           (1 worker, `return 200`) on the same machine
  scripts/perf.py hop      the latency one internal HTTP hop adds (split vs monolith on
                           GET /api/products/{id}, one connection, low rate), against a raw
                           loopback TCP round trip measured in the same run, and beside it
                           what a hop costs nginx (nginx proxying to nginx) on this machine
  scripts/perf.py instructions
                           instructions per product lookup in the monolith, the gateway and
                           the catalog (callgrind): the hop's own work, free of noise
  scripts/perf.py driver   closed loop against nginx with the same threads and connections,
                           wrk and `splitbench load` alternating: requests per second and CPU
                           per request of each
  scripts/perf.py slowloris a normal client's latency before and during an attack of idle
                           keep-alive connections and of clients trickling their headers
  scripts/perf.py soak     the split at 70% of its measured capacity for 10 minutes: errors,
                           memory growth after warm-up, p99 over time

Runs alternate between the two sides and repeat (--reps); each figure is the median with the
range over repetitions. Run scripts/install-deps.sh --bench and build first (scripts/bench.sh does both).
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")


def fail(message):
    print(f"perf.py: {message}", file=sys.stderr)
    sys.exit(2)


def need(tool):
    if not shutil.which(tool) and not os.path.exists(tool):
        fail(f"{tool} is missing; run scripts/install-deps.sh --bench")


class Nginx:
    """nginx with one worker on an OS-chosen free port; by default it answers `return 200`."""

    def __init__(self, location="return 200 '{\"status\":\"ok\"}';", upstream=""):
        need("/usr/sbin/nginx")
        self.dir = tempfile.mkdtemp(prefix="splitbench-nginx-")
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {self.dir};
  proxy_temp_path {self.dir};
  fastcgi_temp_path {self.dir};
  uwsgi_temp_path {self.dir};
  scgi_temp_path {self.dir};
  keepalive_requests 1000000;
  {upstream}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{ {location} }}
  }}
}}
""")
        self.proc = subprocess.Popen(["/usr/sbin/nginx", "-c", conf, "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    @staticmethod
    def proxy_to(backend):
        """nginx in its own process, proxying over keep-alive connections to another nginx."""
        return Nginx(location="proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\";",
                     upstream=f"upstream backend {{ server 127.0.0.1:{backend.port}; keepalive 16; }}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Deployment:
    """`splitbench up` in the background; its front door's address."""

    def __init__(self, kind, threads=1):
        self.proc = subprocess.Popen([os.path.join(BIN, "splitbench"), "up", "--deployment", kind,
                                      "--listen", "127.0.0.1:0", "--threads", str(threads)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in self.proc.stdout:
            m = re.search(r"up on http://([\d.]+:\d+)", line)
            if m:
                self.address = m.group(1)
                break
        else:
            fail(f"splitbench up --deployment {kind} did not start")
        # The rest of its output is a few lines, one per process; read them so the pipe never fills.
        self.pids = {}
        for line in self.proc.stdout:
            m = re.match(r"\s+(\S+)\s+pid (\d+)", line)
            if m:
                self.pids[m.group(1)] = int(m.group(2))
            if line.startswith("Ctrl-C"):
                break

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=5):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    fail(f"nothing listens on port {port}")


def children_cpu():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def wrk(url, threads, connections, duration):
    need("wrk")
    before = children_cpu()
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", url],
                         capture_output=True, text=True, check=True).stdout
    cpu = children_cpu() - before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "cpu_us_per_request": cpu * 1e6 / requests}


def splitbench_load(url, threads, connections, duration, rate=None, warmup="0s", extra=()):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        cmd = [os.path.join(BIN, "splitbench"), "load", url, "--threads", str(threads),
               "--connections", str(connections), "--duration", duration, "--warmup", warmup, "--json", f.name, *extra]
        if rate:
            cmd += ["--rate", str(rate)]
        subprocess.run(cmd, capture_output=True, check=True)
        return json.load(open(f.name))


def spread(values):
    return f"{statistics.median(values):.3g} (range {min(values):.3g}..{max(values):.3g})"


def health(args):
    nginx = Nginx()
    mono = Deployment("monolith", threads=1)
    try:
        ours, theirs = [], []
        for rep in range(args.reps):
            theirs.append(wrk(f"http://127.0.0.1:{nginx.port}/", 1, 10, args.duration)["rps"])
            ours.append(wrk(f"http://{mono.address}/health", 1, 10, args.duration)["rps"])
            print(f"  rep {rep + 1}: nginx {theirs[-1]:.0f} req/s, monolith {ours[-1]:.0f} req/s", flush=True)
    finally:
        mono.stop()
        nginx.stop()
    ratios = [o / t for o, t in zip(ours, theirs)]
    print(f"monolith /health vs nginx `return 200`, wrk -t1 -c10 -d{args.duration}, {args.reps} alternating runs:")
    print(f"  nginx    {spread(theirs)} req/s")
    print(f"  monolith {spread(ours)} req/s")
    print(f"  ratio    {spread(ratios)}   (aim >= 1.0)")


def process_counters(pids):
    """CPU time (ns, from schedstat) and voluntary and involuntary context switches of each
    process, summed over its threads."""
    out = {}
    for name, pid in pids.items():
        cpu = voluntary = involuntary = 0
        for tid in os.listdir(f"/proc/{pid}/task"):
            cpu += int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
            for line in open(f"/proc/{pid}/task/{tid}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    voluntary += int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches"):
                    involuntary += int(line.split()[1])
        out[name] = (cpu, voluntary, involuntary)
    return out


def requests_served(address):
    with urllib.request.urlopen(f"http://{address}/metrics") as r:
        return int(re.search(r"^splitbench_http_requests_total (\d+)$", r.read().decode(), re.M).group(1))


def hop(args):
    """Five sides, measured in turn within each repetition (the order rotating), so that all see
    the same state of the machine: the loopback floor, the monolith and the split, and nginx
    direct and behind an nginx proxy in a second process, whose difference is what a hop costs
    a mature HTTP server on this machine."""
    target = "/api/products/17"
    mono, split = Deployment("monolith"), Deployment("split")
    with urllib.request.urlopen(f"http://{mono.address}{target}") as r:
        body = r.read().decode()
    backend = Nginx(location=f"default_type application/json; return 200 '{body}';")
    proxy = Nginx.proxy_to(backend)

    def floor():
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            subprocess.run([os.path.join(BIN, "splitbench"), "floors", "--rate", str(args.rate), "--samples",
                            str(args.rate * args.seconds), "--json", f.name], capture_output=True, check=True)
            return json.load(open(f.name))["loopback_rtt_us"]

    def load(url):
        return lambda: splitbench_load(url, 1, 1, f"{args.seconds}s", rate=args.rate, warmup="500ms")["service_time_us"]

    # What each request costs the deployment's processes: CPU and context switches.
    costs = {"monolith": {}, "split": {}}

    def counted(deployment, name):
        def run():
            before, served = process_counters(deployment.pids), requests_served(deployment.address)
            t = load(f"http://{deployment.address}{target}")()
            after = process_counters(deployment.pids)
            n = requests_served(deployment.address) - served - 1  # less our own /metrics call
            for process in after:
                delta = [a - b for a, b in zip(after[process], before[process])]
                costs[name].setdefault(process, []).append((delta[0] / n / 1000, delta[1] / n, delta[2] / n))
            return t
        return run

    sides = {"loopback": floor, "monolith": counted(mono, "monolith"), "split": counted(split, "split"),
             "nginx": load(f"http://127.0.0.1:{backend.port}/"), "nginx proxied": load(f"http://127.0.0.1:{proxy.port}/")}
    p50 = {name: [] for name in sides}
    p99 = {name: [] for name in sides}
    try:
        names = list(sides)
        for rep in range(args.reps):
            for name in names[rep % len(names):] + names[:rep % len(names)]:
                t = sides[name]()
                p50[name].append(t["p50"])
                p99[name].append(t["p99"])
            ours = (p50["split"][-1] - p50["monolith"][-1]) / p50["loopback"][-1]
            theirs = (p50["nginx proxied"][-1] - p50["nginx"][-1]) / p50["loopback"][-1]
            print(f"  rep {rep + 1}: " + ", ".join(f"{n} {p50[n][-1]:.1f}" for n in names) +
                  f" us at p50: hop {ours:.2f}x loopback, nginx's hop {theirs:.2f}x", flush=True)
    finally:
        for side in (proxy, backend, split, mono):
            side.stop()
    rtt = p50["loopback"]
    ours = [s - m for s, m in zip(p50["split"], p50["monolith"])]
    theirs = [s - m for s, m in zip(p50["nginx proxied"], p50["nginx"])]
    print(f"one internal hop, GET {target}, 1 connection at {args.rate} req/s, service time, {args.reps} runs:")
    print(f"  loopback TCP round trip p50 {spread(rtt)} us")
    print(f"  monolith p50 {spread(p50['monolith'])} us, split p50 {spread(p50['split'])} us")
    print(f"  hop adds p50 {spread(ours)} us, p99 {spread([s - m for s, m in zip(p99['split'], p99['monolith'])])} us")
    print(f"  hop / loopback round trip at p50: {spread([h / r for h, r in zip(ours, rtt)])}   (aim <= 1.25)")
    print(f"  for reference, nginx behind an nginx proxy: {spread(p50['nginx proxied'])} us against "
          f"{spread(p50['nginx'])} us direct; its hop adds {spread(theirs)} us = "
          f"{spread([h / r for h, r in zip(theirs, rtt)])}x loopback")
    print("  per request, each process: CPU us, voluntary and preempted context switches (median over runs)")
    for name, processes in costs.items():
        for process, runs in processes.items():
            cpu, voluntary, involuntary = (statistics.median(r[i] for r in runs) for i in range(3))
            print(f"    {name:9} {process:10} {cpu:6.1f} us CPU  {voluntary:5.2f} voluntary  {involuntary:5.2f} preempted")


def instructions(args):
    """Instructions each process's event loop executes per request, counted by callgrind: a view
    of the hop's own work that the machine's noise does not move."""
    need("valgrind")
    target = "/api/products/17"
    work = tempfile.mkdtemp(prefix="splitbench-callgrind-")
    procs = []

    def start(name, *argv, counted=False):
        cmd = [os.path.join(BIN, argv[0]), *argv[1:], "--listen", "127.0.0.1:0"]
        if counted:
            cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
                   "--toggle-collect=boost::asio::detail::scheduler::do_run_one*",
                   f"--callgrind-out-file={work}/{name}.out", *cmd]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        procs.append(proc)
        m = re.search(r"listening on http://([\d.]+:\d+)", proc.stdout.readline())
        if not m:
            fail(f"{name} did not start")
        return m.group(1)

    def requests(address):
        splitbench_load(f"http://{address}{target}", 1, 1, f"{args.requests // 500}s", rate=500)

    try:
        mono = start("monolith", "splitbench-monolith", counted=True)
        catalog = start("catalog", "splitbench-service", "catalog", counted=True)
        inventory = start("inventory", "splitbench-service", "inventory")
        pricing = start("pricing", "splitbench-service", "pricing")
        orders = start("orders", "splitbench-service", "orders", "--catalog", catalog, "--inventory", inventory,
                       "--pricing", pricing)
        gateway = start("gateway", "splitbench-service", "gateway", "--catalog", catalog, "--inventory", inventory,
                        "--pricing", pricing, "--orders", orders, counted=True)
        requests(mono)
        requests(gateway)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            proc.wait()
    print(f"instructions per GET {target} in each process's event loop (callgrind, {args.requests} requests):")
    for name in ("monolith", "catalog", "gateway"):
        total = 0
        for line in open(f"{work}/{name}.out"):
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
        print(f"  {name:9} {total / args.requests:8.0f}")
    shutil.rmtree(work, ignore_errors=True)


def driver(args):
    nginx = Nginx()
    url = f"http://127.0.0.1:{nginx.port}/"
    try:
        ours, theirs = [], []
        for rep in range(args.reps):
            theirs.append(wrk(url, args.threads, args.connections, args.duration))
            before = children_cpu()
            r = splitbench_load(url, args.threads, args.connections, args.duration)
            cpu = children_cpu() - before  # the whole process, start-up and connecting included, as for wrk
            ours.append({"rps": r["throughput_rps"], "cpu_us_per_request": cpu * 1e6 / max(1, r["responses"])})
            print(f"  rep {rep + 1}: wrk {theirs[-1]['rps']:.0f} req/s ({theirs[-1]['cpu_us_per_request']:.2f} us CPU/req), "
                  f"splitbench {ours[-1]['rps']:.0f} req/s ({ours[-1]['cpu_us_per_request']:.2f} us CPU/req)", flush=True)
    finally:
        nginx.stop()
    ratios = [o["rps"] / t["rps"] for o, t in zip(ours, theirs)]
    print(f"closed loop against nginx (1 worker), -t{args.threads} -c{args.connections}, {args.duration}, {args.reps} alternating runs:")
    print(f"  wrk        {spread([t['rps'] for t in theirs])} req/s, {spread([t['cpu_us_per_request'] for t in theirs])} us CPU/request")
    print(f"  splitbench {spread([o['rps'] for o in ours])} req/s, {spread([o['cpu_us_per_request'] for o in ours])} us CPU/request")
    print(f"  ratio to wrk {spread(ratios)}   (aim >= 1.0)")


def rss_bytes(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def slowloris(args):
    import socket
    import threading
    dep = Deployment(args.deployment)
    host, port = dep.address.split(":")
    url = f"http://{dep.address}/api/products/17"
    try:
        before = splitbench_load(url, 1, 4, "5s", rate=1000, warmup="1s")
        idle, slow = [], []
        for _ in range(args.idle):  # keep-alive connections that served one request and then sit there
            s = socket.create_connection((host, int(port)))
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(4096)
            idle.append(s)
        for _ in range(args.slow):  # slowloris: a request line, then a header byte now and then
            s = socket.create_connection((host, int(port)))
            s.sendall(b"GET /api/products/1 HTTP/1.1\r\n")
            slow.append(s)
        started = time.time()
        closed_after = {}
        stop = threading.Event()

        def trickle():
            while not stop.wait(0.5):
                for i, s in enumerate(slow):
                    if i in closed_after:
                        continue
                    try:
                        s.sendall(b"X")
                    except OSError:
                        closed_after[i] = time.time() - started
        t = threading.Thread(target=trickle)
        t.start()
        during = splitbench_load(url, 1, 4, "5s", rate=1000, warmup="1s")
        deadline = started + args.wait
        while time.time() < deadline and len(closed_after) < len(slow):
            time.sleep(0.2)
        stop.set()
        t.join()
        idle_open = 0
        for s in idle:
            s.setblocking(False)
            try:
                idle_open += s.recv(1) != b""
            except BlockingIOError:
                idle_open += 1
            except OSError:
                pass
            s.close()
        for s in slow:
            s.close()
    finally:
        dep.stop()
    b, d = before["latency_us"], during["latency_us"]
    print(f"{args.deployment}: GET /api/products/17 at 1000 req/s over 4 connections, 5 s, before and during an attack of "
          f"{args.idle} idle keep-alive connections and {args.slow} slowloris connections (one header byte every 0.5 s):")
    print(f"  before: p50 {b['p50']:.1f} us, p99 {b['p99']:.1f} us, {before['errors']} errors")
    print(f"  during: p50 {d['p50']:.1f} us, p99 {d['p99']:.1f} us, {during['errors']} errors")
    if closed_after:
        times = sorted(closed_after.values())
        print(f"  slowloris connections closed by the server: {len(times)} of {len(slow)}, after {times[0]:.1f}..{times[-1]:.1f} s "
              f"(request timeout 10 s)")
    else:
        print(f"  slowloris connections closed by the server: none within {args.wait} s")
    print(f"  idle keep-alive connections still open at the end: {idle_open} of {len(idle)} (idle timeout 75 s)")


def spearman(a, b):
    """Rank correlation: whether b rises (or falls) with a, whatever the shape."""
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):  # ties share their mean rank
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.mean(ra), statistics.mean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)
    return cov / var ** 0.5 if var else 0.0


def soak(args):
    split = Deployment("split")
    url = f"http://{split.address}/"
    workload = ("--workload", "storefront")
    try:
        capacity = splitbench_load(url, 1, 16, "10s", warmup="2s", extra=workload)["throughput_rps"]
        rate = round(0.7 * capacity)
        print(f"split capacity, closed loop, storefront mix, 16 connections: {capacity:.0f} req/s; soaking at {rate} req/s "
              f"for {args.minutes} min", flush=True)
        warmup = 30
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            out = args.json or f.name
            cmd = [os.path.join(BIN, "splitbench"), "load", url, *workload, "--rate", str(rate), "--connections", "16",
                   "--duration", f"{args.minutes}m", "--warmup", f"{warmup}s", "--json", out]
            load = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = time.time()
            rss = []  # (seconds since start, total RSS of the five processes)
            while load.poll() is None:
                rss.append((time.time() - started, sum(rss_bytes(p) for p in split.pids.values())))
                time.sleep(5)
            if load.returncode != 0:
                fail(f"splitbench load failed with status {load.returncode}")
            result = json.load(open(out))
    finally:
        split.stop()
    after_warmup = [r for t, r in rss if t >= warmup + 5]
    growth = (max(after_warmup) / after_warmup[0] - 1) * 100 if after_warmup else float("nan")
    p99 = [s["p99_us"] for s in result["per_second"]]
    p50 = [s["p50_us"] for s in result["per_second"]]
    minute = max(1, len(p99) // args.minutes)
    per_minute = [statistics.median(p99[i:i + minute]) for i in range(0, len(p99), minute)]
    p50_per_minute = [statistics.median(p50[i:i + minute]) for i in range(0, len(p50), minute)]
    print(f"soak of the split at {rate} req/s (70% of capacity), {args.minutes} min measured after {warmup} s warm-up:")
    print(f"  {result['responses']} responses, {result['errors']} errors ({result['errors_by_kind']}), {result['unsent']} unsent")
    print(f"  responses by status class: {result['status_classes']}")
    print(f"  achieved {result['throughput_rps']:.0f} req/s; latency p50 {result['latency_us']['p50']:.1f} us, "
          f"p99 {result['latency_us']['p99']:.1f} us, max {result['latency_us']['max']:.1f} us")
    print(f"  p99 per minute (median of each minute's per-second p99), us: {', '.join(f'{x:.0f}' for x in per_minute)}")
    print(f"  p50 per minute, us: {', '.join(f'{x:.0f}' for x in p50_per_minute)}")
    seconds = list(range(len(p99)))
    print(f"  trend: Spearman's rho of each second's p99 with time {spearman(seconds, p99):+.3f} "
          f"(0: none, 1: rising every second), of its p50 with time {spearman(seconds, p50):+.3f}; "
          f"p99 with p50 {spearman(p50, p99):+.3f} (the machine's load moves both)")
    print(f"  resident memory of the five processes: {after_warmup[0] / 2**20:.1f} MiB after warm-up, "
          f"peak {max(after_warmup) / 2**20:.1f} MiB: growth {growth:+.1f}% (aim < 5%)")
    print(f"  driver: {result['driver']['cpu_us_per_request']} us CPU/request, utilisation {result['driver']['utilisation']}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    h = sub.add_parser("health")
    h.add_argument("--reps", type=int, default=3)
    h.add_argument("--duration", default="10s")
    o = sub.add_parser("hop")
    o.add_argument("--reps", type=int, default=15)
    o.add_argument("--rate", type=int, default=1000)
    o.add_argument("--seconds", type=int, default=2, help="each side's measured time per repetition")
    i = sub.add_parser("instructions")
    i.add_argument("--requests", type=int, default=5000)
    d = sub.add_parser("driver")
    d.add_argument("--reps", type=int, default=3)
    d.add_argument("--duration", default="10s")
    d.add_argument("--threads", type=int, default=1)
    d.add_argument("--connections", type=int, default=10)
    sl = sub.add_parser("slowloris")
    sl.add_argument("--deployment", default="monolith", choices=["monolith", "split"])
    sl.add_argument("--idle", type=int, default=500)
    sl.add_argument("--slow", type=int, default=200)
    sl.add_argument("--wait", type=int, default=15, help="seconds to wait for the slowloris connections to be closed")
    so = sub.add_parser("soak")
    so.add_argument("--minutes", type=int, default=10)
    so.add_argument("--json", help="keep the driver's JSON (every second's p50 and p99) in this file")
    args = p.parse_args()
    if not os.path.exists(os.path.join(BIN, "splitbench")):
        fail("build/bin/splitbench is missing; build first (scripts/bench.sh or scripts/test.sh --quick)")
    {"health": health, "hop": hop, "instructions": instructions, "driver": driver, "slowloris": slowloris, "soak": soak}[args.what](args)


if __name__ == "__main__":
    main()
