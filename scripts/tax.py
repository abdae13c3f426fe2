#!/usr/bin/python3
"""The datacenter tax: the share of a request's instructions spent outside the business logic,
in the monolith and in each process of another deployment (the split, the serialized monolith, a
topology of groups), counted by valgrind's callgrind and grouped by symbol (Kanev et al.,
"Profiling a warehouse-scale computer", ISCA 2015, put that share at about 30% of Google's
cycles).

  scripts/tax.py                           the storefront mix, monolith and split, a Markdown table
  scripts/tax.py --deployment serialized --deployment split --deployment gateway+catalog,inventory,pricing+orders
                                           each deployment against the monolith (see host/topology.hpp)
  scripts/tax.py --routes mix,product,quote  the mix and single routes, each measured apart
  scripts/tax.py --rate 200 --duration 10s requests per second and measured window of each route
  scripts/tax.py --json tax.json           also write every figure as JSON
  scripts/tax.py --keep DIR                keep the callgrind files in DIR (default: a temporary
                                           directory, removed at the end unless a measurement failed)

Every process runs under `valgrind --tool=callgrind`, each with its own output file. After a
warm-up of the storefront mix (which also translates the code paths once), each measured route
goes: read every process's request counter from /metrics, `callgrind_control --zero` each
process, drive the route with `splitbench load` at a fixed rate, `callgrind_control --dump` each
process, read the counters again. A process's figures are its self instructions in that dump,
divided by the public requests the front door served in that window (from its counter, so a
request the driver gave up on still counts if the server did its work; less the calls to
/internal/ routes it served, when its group runs a service another group calls).

What callgrind counts: user-space instructions, not cycles (no cache misses, no stalls, no
frequency), and nothing inside the kernel: a system call is visible only as its user-space entry
(the libc wrapper), not as the kernel's work behind it. Inlined code counts where it was inlined.

The groups are assigned by the ordered rules in RULES, the first that matches wins; each rule
tests the demangled symbol, its owner (the qualified name of the function itself, without return
type, parameters or template arguments; a std::function thunk is owned by the callable it wraps)
or the object file. `--caller` adds a second view in which the self cost of the allocator and
of other libraries is charged to the groups of their callers, in proportion to the inclusive
cost of the calls.

Exit status: 0 measured, 1 a measurement is unusable (no request served, a dump missing, a
dump whose self costs do not add up to its totals), 2 cannot run (no valgrind, no build, bad
arguments).
"""
import argparse
import collections
import glob
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The binaries measured: the release preset's, or those of the build ctest runs from.
BIN = os.environ.get("SPLITBENCH_BIN_DIR") or os.path.join(ROOT, "build", "bin")

# The groups, in the order tables show them; LOGIC is the business logic, every other group is tax.
GROUPS = [
    ("logic", "business logic"),
    ("codec", "codec"),
    ("http", "Beast/HTTP"),
    ("asio", "Asio/kernel entry"),
    ("alloc", "allocator"),
    ("other", "other libraries"),
]
LOGIC = "logic"
LIBRARIES = ("alloc", "other")  # charged to their callers in the --caller view

# Libc's wrappers of the system calls the event loop and the sockets make: where a request
# enters the kernel, as far as callgrind can see.
_SYSCALLS = ("epoll_wait|epoll_pwait|epoll_ctl|epoll_create1|eventfd|timerfd_create|timerfd_settime|"
             "recv|recvfrom|recvmsg|send|sendto|sendmsg|read|write|readv|writev|__libc_(?:recv|send|read|write)\\w*|"
             "accept4?|connect|socket|setsockopt|getsockopt|getsockname|getpeername|shutdown|(?:__)?close|__close_nocancel|"
             "(?:__)?ioctl|(?:__)?fcntl(?:64)?|__libc_fcntl64|syscall|(?:__)?clock_gettime|__vdso_\\w+|"
             "__pthread_(?:enable|disable)_asynccancel|__syscall_cancel\\w*|__internal_syscall_cancel")

# (group, field, pattern, why): field is "symbol" (the demangled name), "owner" (see above) or
# "object" (the file name of the shared object or executable). Ordered: the first match wins.
RULES = [
    ("alloc", "symbol", r"^(?:malloc|free|calloc|realloc|cfree|_int_malloc|_int_free|_int_realloc|malloc_consolidate|"
                        r"sysmalloc|unlink_chunk|tcache_\w+|__libc_(?:malloc|free|calloc|realloc)|"
                        r"operator (?:new|delete)(?:\[\])?)\b", "malloc and free, operator new and delete"),
    ("asio", "object", r"^linux-vdso", "the vDSO (clock reads)"),
    ("asio", "symbol", rf"^(?:{_SYSCALLS})(?:@@?GLIBC\S*)?$", "libc's system call wrappers: the kernel entry"),
    ("asio", "owner", r"^boost::asio::", "Asio: the event loop, the reactor, sockets, timers, handlers"),
    ("codec", "owner", r"^splitbench::codec::", "the storefront's JSON encode and decode (net/codec, json_writer, json_reader)"),
    ("codec", "owner", r"^boost::json::", "Boost.JSON, under the codec's reader"),
    ("codec", "object", r"^libboost_json\.", "Boost.JSON's library, its unnamed internals included"),
    ("http", "owner", r"^boost::beast::", "Beast: the HTTP parser, fields, serializer, buffers"),
    ("http", "owner", r"^boost::urls::", "Boost.URL"),
    ("http", "object", r"^libboost_url\.", "Boost.URL's library"),
    ("http", "owner", r"^splitbench::(?:net|api|split|host|monolith)::",
     "the HTTP glue: server, session, router, client, routes, stubs, front door"),
    ("other", "owner", r"^splitbench::(?:cli|os|bench)::", "command line and process start"),
    ("other", "owner", r"^splitbench::(\w+)::~?\1$",
     "constructors and destructors of core's value types (price_quote, quote_request...): copies and moves, not logic"),
    ("logic", "owner", r"^splitbench::", "core/: catalog, inventory, pricing, order desk and book, storefront flows, local bindings"),
    ("other", "object", r".", "everything else: libc's string and memory functions, libstdc++, fmt, the loader"),
]
_COMPILED = [(g, f, re.compile(p)) for g, f, p, _ in RULES]

_OPEN = {"<": ">", "(": ")", "[": "]", "{": "}"}
_OPERATOR = re.compile(r"operator(?:\s*(?:\(\)|\[\]|<=>|<<=|>>=|<<|>>|->\*|->|&&|\|\||\+\+|--|[-+*/%^&|~!=<>,]=?)"
                       r"|\s+(?:new|delete)(?:\[\])?|\s+[\w:]+)")


def _balanced(text, i):
    """The index just past the bracket group that opens at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "([{<":
            depth += 1
        elif text[j] in ")]}>":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _top_level(text):
    """(index, char) of each character outside brackets; `operator()` and friends, `->` and the
    anonymous namespace's parentheses do not open anything."""
    depth = []
    i = 0
    while i < len(text):
        c = text[i]
        if text.startswith("decltype", i) and not depth:
            close = _balanced(text, text.find("(", i))
            for j in range(i, close):
                yield j, "x"
            i = close
            continue
        if text.startswith("operator", i):
            m = _OPERATOR.match(text, i)
            if m:
                end = m.end() + 1 if text.startswith(" <", m.end()) else m.end()  # `operator<< <char>`
                if not depth:
                    for j in range(i, end):
                        yield j, "x"
                i = end
                continue
        if text.startswith("(anonymous namespace)", i):
            if not depth:
                yield i, "x"
            i += len("(anonymous namespace)")
            continue
        if c == "-" and text.startswith("->", i):
            i += 2
            continue
        if c in _OPEN:
            if not depth:
                yield i, c
            depth.append(_OPEN[c])
        elif depth and c == depth[-1]:
            depth.pop()
        elif not depth:
            yield i, c
        i += 1


def _strip_templates(name):
    m = _OPERATOR.search(name)
    if m:  # the operator's own `<` and `>` are not brackets
        return _strip_templates(name[:m.start()]) + m.group(0) + _strip_templates(name[m.end():])
    out, depth = [], 0
    for c in name:
        if c == "<":
            depth += 1
        elif c == ">" and depth:
            depth -= 1
        elif not depth:
            out.append(c)
    return "".join(out)


def owner(symbol):
    """The qualified name of the function a demangled symbol names, without its return type,
    parameters and template arguments: `splitbench::codec::json_writer& splitbench::codec::
    json_writer::field<long>(std::string_view, long const&)` -> `splitbench::codec::json_writer::
    field`; a lambda is owned by the function it is in. A std::function thunk
    (`std::_Function_handler<Sig, F>::_M_invoke`) is owned by F."""
    symbol = re.sub(r"'\d+$", "", symbol)  # callgrind's recursion level
    start, name_end = 0, len(symbol)
    for i, c in _top_level(symbol):
        if c == "(":
            name_end = i
            break
        if c == " ":
            start = i + 1
    name = symbol[start:name_end].strip()
    m = re.match(r"std::_Function_(?:handler|base::_Base_manager)<", name)
    if m:
        args, depth, cut = name[m.end():], 1, []
        for i, c in enumerate(args):  # the last top-level template argument: the callable
            if c in "<([{":
                depth += 1
            elif c in ">)]}":
                depth -= 1
                if depth == 0:
                    args = args[:i]
                    break
            elif c == "," and depth == 1:
                cut.append(i)
        return owner(args[cut[-1] + 1:].strip() if cut else args)
    return _strip_templates(name).strip()


def group_of(symbol, obj):
    """The group of a function, by the first rule of RULES that matches it."""
    symbol = re.sub(r"'\d+$", "", symbol)
    fields = {"symbol": symbol, "owner": owner(symbol), "object": os.path.basename(obj or "")}
    for group, field, pattern in _COMPILED:
        if pattern.search(fields[field]):
            return group
    return "other"


class Profile:
    """One callgrind dump: self cost per function (object, symbol) of its first event, and the
    inclusive cost of each call edge (caller, callee)."""

    def __init__(self):
        self.self_cost = collections.Counter()
        self.calls = collections.Counter()
        self.totals = None
        self.events = []


def parse(text):
    """Parses a callgrind output file (format version 1, name compression included).

    Cost lines add to the current function's self cost; the line after `calls=` is the inclusive
    cost of that call, added to the edge instead; `jump=` and `jcnd=` lines carry no cost."""
    prof = Profile()
    names = {"ob": {}, "fl": {}, "fn": {}}
    space = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl", "fn": "fn", "cfn": "fn"}
    positions = 1
    ob = cob = fn = cfn = None
    call_pending = False
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        c = line[0]
        if c.isdigit() or c in "+-*":
            fields = line.split()
            cost = int(fields[positions]) if len(fields) > positions else 0
            if call_pending:
                prof.calls[((ob, fn), (cob if cob is not None else ob, cfn))] += cost
                call_pending = False
                cob = None
            else:
                prof.self_cost[(ob, fn)] += cost
            continue
        key, eq, value = line.partition("=")
        if eq and key in space:
            m = re.match(r"\((\d+)\)(?: (.*))?$", value)
            if m:
                table = names[space[key]]
                if m.group(2) is not None:
                    table[m.group(1)] = m.group(2)
                value = table[m.group(1)]
            if key == "ob":
                ob = value
            elif key == "cob":
                cob = value
            elif key == "fn":
                fn = value
            elif key == "cfn":
                cfn = value
            continue
        if eq and key == "calls":
            call_pending = True
            continue
        if eq and key in ("jump", "jcnd"):
            continue
        key, colon, value = line.partition(":")
        if colon and key == "positions":
            positions = len(value.split())
        elif colon and key == "events":
            prof.events = value.split()
        elif colon and key == "totals":
            prof.totals = int(value.split()[0])
        elif colon and key == "summary" and prof.totals is None:
            prof.totals = int(value.split()[0])
    return prof


def by_group(prof):
    """Self cost per group."""
    out = collections.Counter({g: 0 for g, _ in GROUPS})
    for (obj, fn), cost in prof.self_cost.items():
        out[group_of(fn, obj)] += cost
    return out


def by_group_charged(prof, rounds=64):
    """Self cost per group, the allocator's and other libraries' charged to their callers in
    proportion to the inclusive cost of each call; what has no caller in the dump, or is still
    passed along after `rounds`, stays in "other"."""
    groups = {}

    def group(f):
        if f not in groups:
            groups[f] = group_of(f[1], f[0])
        return groups[f]

    callers = collections.defaultdict(list)
    for (caller, callee), cost in prof.calls.items():
        if caller != callee and cost > 0:
            callers[callee].append((caller, cost))
    out = collections.Counter({g: 0 for g, _ in GROUPS})
    pending = collections.Counter()
    for f, cost in prof.self_cost.items():
        if group(f) in LIBRARIES:
            pending[f] += cost
        else:
            out[group(f)] += cost
    for _ in range(rounds):
        if not pending:
            break
        passed = collections.Counter()
        for f, cost in pending.items():
            edges = callers.get(f)
            if not edges:
                out["other"] += cost
                continue
            whole = sum(c for _, c in edges)
            for caller, c in edges:
                share = cost * c / whole
                if group(caller) in LIBRARIES:
                    passed[caller] += share
                else:
                    out[group(caller)] += share
        pending = passed
    out["other"] += sum(pending.values())
    return out


# ---------------------------------------------------------------------------------------------
# Measuring: the deployments under callgrind.

ROUTES = {
    "mix": ("GET", "/", None),  # --workload storefront: 50% product, 20% search, 20% quote, 10% order
    "product": ("GET", "/api/products/17", None),
    "search": ("GET", "/api/products?q=steel&limit=10", None),
    "quote": ("POST", "/api/quote", '{"items":[{"product_id":17,"qty":2},{"product_id":4242,"qty":1}],"region":"EU","tier":"gold"}'),
    # Product 2330 has the most stock with the default seed (4,999 units), so that a few thousand
    # orders of one unit each are all placed (201), none refused for want of stock (409).
    "order": ("POST", "/api/orders",
              '{"customer":"customer-7","items":[{"product_id":2330,"qty":1}],"region":"EU","tier":"gold"}'),
}
SERVICES = ("gateway", "catalog", "inventory", "pricing", "orders")
CALLEES = {"gateway": ("catalog", "inventory", "pricing", "orders"), "orders": ("catalog", "inventory", "pricing")}


class Topology:
    """A deployment as host/topology.hpp reads it: `monolith`, `serialized` (one process, every call
    through the codec with no socket), `split` (five processes) or groups of services, groups
    separated by ',' and services by '+' (`gateway+catalog,inventory,pricing+orders`), each group
    one process. Raises ValueError on an unknown or repeated service, a service in no group or an
    empty group or name."""

    def __init__(self, text):
        text = text.strip()
        self.single_binary = text in ("monolith", "serialized")
        self.serialized = text == "serialized"
        if self.single_binary:
            self.name, self.groups = text, [list(SERVICES)]
            return
        written = ",".join(SERVICES) if text == "split" else text
        groups, placed = [], []
        for group_text in written.split(","):
            if not group_text.strip():
                raise ValueError(f"'{text}' has an empty group: groups are separated by one ','")
            group = [s.strip() for s in group_text.split("+")]
            for s in group:
                if s not in SERVICES:
                    raise ValueError(f"'{text}': no service is named '{s}' (monolith, serialized, split, or groups of "
                                     f"{', '.join(SERVICES)} such as gateway+catalog,inventory,pricing+orders)")
                if s in placed:
                    raise ValueError(f"'{text}': {s} is placed twice; each service runs in exactly one group")
                placed.append(s)
            groups.append(sorted(group, key=SERVICES.index))
        missing = [s for s in SERVICES if s not in placed]
        if missing:
            raise ValueError(f"'{text}': {','.join(missing)} {'is' if len(missing) == 1 else 'are'} in no group")
        self.groups = sorted(groups, key=lambda g: SERVICES.index(g[0]))
        self.name = "split" if len(self.groups) == len(SERVICES) else ",".join("+".join(g) for g in self.groups)

    @property
    def label(self):
        """The name as a file name part: '+' and ',' written '-' and '_', as the runner's labels."""
        return self.name.replace("+", "-").replace(",", "_")

    def process_name(self, index):
        return "monolith" if self.single_binary else "+".join(self.groups[index])

    def group_of(self, service):
        return next(i for i, g in enumerate(self.groups) if service in g)

    def peers(self, index):
        """The services outside group `index` that its services call."""
        group = self.groups[index]
        return [s for s in SERVICES if s not in group and any(s in CALLEES.get(m, ()) for m in group)]

    def start_order(self):
        """Callees before their callers where the calls allow, the gateway's group last; a group
        that calls into the gateway's (pricing+orders calling catalog in gateway+catalog) cannot
        wait for it, and is started first of those left."""
        front = self.group_of("gateway")
        order = []
        while len(order) + 1 < len(self.groups):
            left = [i for i in range(len(self.groups)) if i != front and i not in order]
            ready = [i for i in left if all(self.group_of(p) in order for p in self.peers(i))]
            order.append((ready or left)[0])
        return order + [front]


def free_port():
    """A port free on 127.0.0.1 now: bound, read and closed, for the gateway's group when a group
    that starts before it must be told its address. Another process could take it in between; the
    group then fails to start, saying so."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message):
    print(f"tax.py: {message}", file=sys.stderr)
    sys.exit(2)


class Unusable(Exception):
    """A measurement that cannot be trusted: exit status 1."""


class Process:
    """One deployment process under callgrind, in its own process group, stopped by its pid."""

    def __init__(self, work, topology, name, argv, listen, timeout):
        self.name = name
        self.work = work
        # Files are named for the deployment and the process: monolith and serialized both run "monolith".
        self.file = f"{topology.label}.{name.replace('+', '-')}"
        self.out_path = os.path.join(work, f"{self.file}.stdout")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.{self.file}.%p", *argv,
               "--listen", listen, "--threads", "1"]
        with open(self.out_path, "w") as out, open(os.path.join(work, f"{self.file}.stderr"), "w") as err:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        self.pid = self.proc.pid  # valgrind runs the program in its own process
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout):
        name, work = self.name, self.work
        deadline = time.time() + timeout
        while True:
            m = re.search(r"listening on http://([\d.]+:\d+)", read(self.out_path))
            if m:
                self.address = m.group(1)
                break
            if self.proc.poll() is not None or time.time() > deadline:
                raise Unusable(f"{name} did not start under callgrind (see {work}/{self.file}.stderr)")
            time.sleep(0.2)
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://{self.address}/health", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise Unusable(f"{name} at {self.address} never answered /health")

    def requests_served(self):
        with urllib.request.urlopen(f"http://{self.address}/metrics", timeout=30) as r:
            return served_counts(r.read().decode())

    def zero(self):
        control(["--zero", str(self.pid)])

    def dump(self, label, timeout=120):
        before = set(glob.glob(f"{self.work}/callgrind.{self.file}.{self.pid}.*"))
        control([f"--dump={label}", str(self.pid)])
        deadline = time.time() + timeout
        while time.time() < deadline:
            for path in set(glob.glob(f"{self.work}/callgrind.{self.file}.{self.pid}.*")) - before:
                text = read(path)
                if re.search(r"^totals: ", text, re.M):
                    return path, text
            time.sleep(0.2)
        raise Unusable(f"{self.name}: callgrind wrote no dump '{label}'")

    def stop(self):
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.pid, signal.SIGTERM)
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


def served_counts(metrics):
    """(every request served, those of them on /internal/ routes) from a process's /metrics: a
    group with a service that another group calls serves both, the gateway's included (catalog in
    gateway+catalog, called by pricing+orders)."""
    internal = re.findall(r'^splitbench_http_request_duration_seconds_count\{[^}]*route="/internal/[^"]*"[^}]*\} (\d+)$', metrics, re.M)
    return int(re.search(r"^splitbench_http_requests_total (\d+)$", metrics, re.M).group(1)), sum(map(int, internal))


def read(path):
    with open(path) as f:
        return f.read()


def control(args):
    r = subprocess.run(["callgrind_control", *args], capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or "OK." not in r.stdout:
        raise Unusable(f"callgrind_control {' '.join(args)} failed: {r.stdout}{r.stderr}")


def load(front, route, rate, duration, work, label):
    method, path, body = ROUTES[route]
    out = os.path.join(work, f"load.{label}.json")
    cmd = [os.path.join(BIN, "splitbench"), "load", f"http://{front.address}{path}", "--connections", "4",
           "--duration", duration, "--warmup", "0s", "--timeout", "10s", "--json", out]
    if rate:
        cmd += ["--rate", str(rate)]
    if route == "mix":
        cmd += ["--workload", "storefront"]
    else:
        cmd += ["--method", method]
    if body:
        body_path = os.path.join(work, f"{route}.json")
        with open(body_path, "w") as f:
            f.write(body)
        cmd += ["--body", body_path]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if not os.path.exists(out):
        raise Unusable(f"splitbench load failed on {route}: {r.stderr[-1000:]}")
    return json.loads(read(out))


def start(topology, work, timeout):
    """The processes of a deployment, the front door first. Each group is told its peers'
    addresses, so callees start before their callers and the gateway's group last; when a group
    calls into the gateway's (a cycle), the gateway's group is given a free port before anything
    starts."""
    procs = []
    try:
        if topology.single_binary:
            argv = [os.path.join(BIN, "splitbench-monolith"), *(["--binding", "serialized"] if topology.serialized else [])]
            procs.append(Process(work, topology, "monolith", argv, "127.0.0.1:0", timeout))
            return procs
        service = os.path.join(BIN, "splitbench-service")
        front = topology.group_of("gateway")
        addresses = {}  # group index: address, of each group started or named early
        for i in topology.start_order():
            group = topology.groups[i]
            argv = [service, *(group if len(group) == 1 else ["--services", ",".join(group)])]
            for peer in topology.peers(i):
                j = topology.group_of(peer)
                if j not in addresses:  # only the gateway's group can be called before it starts
                    addresses[j] = f"127.0.0.1:{free_port()}"
                argv += [f"--{peer}", addresses[j]]
            p = Process(work, topology, topology.process_name(i), argv, addresses.get(i, "127.0.0.1:0"), timeout)
            addresses[i] = p.address
            if i == front:
                procs.insert(0, p)
            else:
                procs.append(p)
        return procs
    except BaseException:
        for p in procs:
            p.stop()
        raise


def measure(topology, routes, args, work):
    """{route: {"requests":, "load":, "processes": {name: {"served":, "instructions":, "groups":, "charged":}}}}"""
    procs = start(topology, work, args.start_timeout)
    try:
        front = procs[0]
        load(front, "mix", args.rate, args.warmup, work, f"{topology.label}.warmup")
        out = {}
        for route in routes:
            before = {p.name: p.requests_served() for p in procs}
            for p in procs:
                p.zero()
            result = load(front, route, args.rate, args.duration, work, f"{topology.label}.{route}")
            dumps = {p.name: p.dump(f"{topology.label}-{route}") for p in procs}
            after = {p.name: p.requests_served() for p in procs}
            # The counter counts each /metrics request that reads it: the one after, not the one before.
            served = {name: after[name][0] - before[name][0] - 1 for name in after}
            public = served[front.name] - (after[front.name][1] - before[front.name][1])
            if public <= 0:
                raise Unusable(f"{topology.name} served no request of {route}")
            entry = {"requests": public,
                     "load": {k: result.get(k) for k in ("requests", "responses", "errors", "unsent", "status_classes",
                                                         "throughput_rps")},
                     "processes": {}}
            for name, (path, text) in dumps.items():
                prof = parse(text)
                counted = sum(prof.self_cost.values())
                if prof.totals is None or counted != prof.totals:
                    raise Unusable(f"{path}: self costs add up to {counted}, the file's totals say {prof.totals}")
                entry["processes"][name] = {"served": served[name], "instructions": counted,
                                            "groups": dict(by_group(prof)), "charged": dict(by_group_charged(prof))}
                if args.top:
                    entry["processes"][name]["top"] = [
                        {"symbol": fn, "object": os.path.basename(ob or ""), "group": group_of(fn, ob), "instructions": c}
                        for (ob, fn), c in prof.self_cost.most_common(args.top)]
            out[route] = entry
            classes = result.get("status_classes") or {}
            not_2xx = sum(v for k, v in classes.items() if k != "2xx")
            print(f"tax.py: {topology.name} {route}: {entry['requests']} requests served, {not_2xx} answered other than 2xx, "
                  f"{result.get('errors')} errors at the driver", file=sys.stderr)
        return out
    finally:
        for p in procs:
            p.stop()


# ---------------------------------------------------------------------------------------------
# Reporting.

def per_request(entry, view):
    """{process: {group: instructions per public request}} and the deployment's sum as "total"."""
    n = entry["requests"]
    rows = {name: {g: proc[view][g] / n for g, _ in GROUPS} for name, proc in entry["processes"].items()}
    rows["total"] = {g: sum(r[g] for r in rows.values()) for g, _ in GROUPS}
    return rows


def tax_share(row):
    whole = sum(row.values())
    return 1 - row[LOGIC] / whole if whole else 0.0


DIFFERENCE = " - monolith"  # the suffix of a row that is a deployment's difference from the monolith


def summarize(results, view):
    """The figures of a view: per route, deployment and process, instructions per request by
    group, their total and the share outside the logic; and each other deployment's difference
    from the monolith per group (row "DEPLOYMENT - monolith"). `results` holds the monolith."""
    def row(r):
        return {"by_group": {g: round(v, 1) for g, v in r.items()}, "total": round(sum(r.values()), 1),
                "tax_share": round(tax_share(r), 4)}

    out = {}
    for route in results["monolith"]:
        mono = per_request(results["monolith"][route], view)["total"]
        rows = {"monolith": row(mono)}
        for d, measured in results.items():
            if d == "monolith":
                continue
            processes = per_request(measured[route], view)
            total = processes.pop("total")
            rows[d] = row(total)
            if len(processes) > 1:
                rows.update({f"{d}: {name}": row(r) for name, r in processes.items()})
            extra = {g: total[g] - mono[g] for g, _ in GROUPS}
            rows[d + DIFFERENCE] = {"by_group": {g: round(v, 1) for g, v in extra.items()}, "total": round(sum(extra.values()), 1)}
        out[route] = rows
    return out


def markdown(summary, results, title):
    """A table per route; a group no row has anything in (the charged view's allocator) is left out."""
    lines = []
    for route, rows in summary.items():
        shown = [(g, label) for g, label in GROUPS if any(round(r["by_group"][g]) for r in rows.values())]
        counts = ", ".join(f"{d} {results[d][route]['requests']:,}" for d in results)
        lines.append(f"{title}, `{route}` (instructions per request; requests served: {counts}):")
        lines.append("")
        lines.append("| | " + " | ".join(label for _, label in shown) + " | total | outside the logic |")
        lines.append("|---|" + "---:|" * (len(shown) + 2))
        for name, r in rows.items():
            difference = name.endswith(DIFFERENCE)
            cells = " | ".join(f"{r['by_group'][g]:+,.0f}" if difference else f"{r['by_group'][g]:,.0f}" for g, _ in shown)
            if difference:
                extra = r["total"]
                share = f"{1 - r['by_group'][LOGIC] / extra:.0%} of the extra" if extra > 0 else "–"
                lines.append(f"| {name} | {cells} | {extra:+,.0f} | {share} |")
            else:
                lines.append(f"| {name} | {cells} | {r['total']:,.0f} | {r['tax_share']:.1%} |")
        lines.append("")
    return "\n".join(lines)


def overview(self_view, charged_view, deployments):
    """One line per route: each deployment's instructions per request and its share outside the
    logic in both views, and each other deployment's instructions as a multiple of the monolith's."""
    head = " | ".join(f"{d}: instructions | {d}: outside the logic (self; charged)" + ("" if d == "monolith" else f" | {d} / monolith")
                      for d in deployments)
    lines = [f"| route | {head} |", "|---|" + "".join("---:|---:|" if d == "monolith" else "---:|---:|---:|" for d in deployments)]
    for route, rows in self_view.items():
        cells = []
        for d in deployments:
            cells.append(f"{rows[d]['total']:,.0f} | {rows[d]['tax_share']:.1%}; {charged_view[route][d]['tax_share']:.1%}")
            if d != "monolith":
                cells.append(f"{rows[d]['total'] / rows['monolith']['total']:.2f}x")
        lines.append(f"| {route} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def git_commit():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def arguments():
    """The command line's parser."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--routes", default="mix", help=f"comma-separated, of {', '.join(ROUTES)} (default: mix)")
    p.add_argument("--deployment", action="append", metavar="TOPOLOGY",
                   help="a deployment to measure, repeatable: monolith, serialized, split, or groups such as "
                        "gateway+catalog,inventory,pricing+orders (default: monolith and split; the monolith, "
                        "which every other is compared with, is always measured)")
    p.add_argument("--rate", type=float, default=100, help="requests per second, open loop; 0: closed loop (default 100)")
    p.add_argument("--duration", default="20s", help="measured window of each route (default 20s)")
    p.add_argument("--warmup", default="5s", help="storefront mix before the first measured route (default 5s)")
    p.add_argument("--start-timeout", type=float, default=180, help="seconds a process may take to start under callgrind")
    p.add_argument("--caller", action="store_true", help="also print the view with library costs charged to their callers")
    p.add_argument("--top", type=int, default=0, help="keep the N costliest functions of each dump in the JSON")
    p.add_argument("--json", help="write the figures to this file")
    p.add_argument("--keep", help="keep the callgrind files in this directory")
    return p


def topologies(texts):
    """The deployments of the --deployment flags, the monolith first (added when not named);
    raises ValueError on a topology that does not parse or one named twice."""
    named = [Topology(text) for text in texts]
    names = [t.name for t in named]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f"the {name} deployment is named twice")
    return [Topology("monolith")] + [t for t in named if t.name != "monolith"]


def check_tools():
    """None when valgrind and the binaries are there, else what is missing."""
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (apt-get install valgrind)"
    for binary in ("splitbench", "splitbench-monolith", "splitbench-service"):
        if not os.path.exists(os.path.join(BIN, binary)):
            return f"{BIN}/{binary} is missing; build first (cmake --preset release && cmake --build build)"
    return None


def interrupted(signum, frame):
    raise KeyboardInterrupt  # so that every started process is stopped on the way out


def main():
    args = arguments().parse_args()
    routes = [r.strip() for r in args.routes.split(",") if r.strip()]
    unknown = [r for r in routes if r not in ROUTES]
    if unknown or not routes:
        fail(f"unknown route(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(ROUTES)}")
    try:
        deployments = topologies(args.deployment or ["monolith", "split"])
    except ValueError as e:
        fail(str(e))
    missing = check_tools()
    if missing:
        fail(missing)
    signal.signal(signal.SIGTERM, interrupted)

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = os.path.abspath(args.keep)
    else:
        work = tempfile.mkdtemp(prefix="splitbench-tax-")
    try:
        results = {d.name: measure(d, routes, args, work) for d in deployments}
    except Unusable as e:
        print(f"tax.py: {e}; the logs and callgrind files are in {work}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

    self_view = summarize(results, "groups")
    charged_view = summarize(results, "charged")
    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()
    compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()
    command = "scripts/tax.py " + " ".join(sys.argv[1:])
    print(f"The datacenter tax: callgrind's self instructions by symbol group, per public request "
          f"({valgrind}, commit {git_commit()}, {platform.machine()}, "
          f"{f'{args.rate:g} req/s' if args.rate else 'closed loop'} over 4 connections for {args.duration} per route, "
          f"one thread per process).\n")
    print(overview(self_view, charged_view, list(results)))
    print(markdown(self_view, results, "Self instructions"))
    if args.caller:
        print(markdown(charged_view, results, "Allocator and other libraries charged to their callers"))
    if args.json:
        doc = {"schema": "splitbench.tax/1", "command": command, "commit": git_commit(), "valgrind": valgrind,
               "compiler": compiler[0] if compiler else "unknown", "machine": platform.machine(), "deployments": list(results), "rate": args.rate,
               "duration": args.duration, "warmup": args.warmup,
               "groups": [{"id": g, "label": label} for g, label in GROUPS],
               "rules": [{"group": g, "field": f, "pattern": pat, "why": why} for g, f, pat, why in RULES],
               "measured": results, "per_request": {"self": self_view, "charged_to_callers": charged_view}}
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        os.replace(tmp, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
