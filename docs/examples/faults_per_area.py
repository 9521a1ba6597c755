#!/usr/bin/env python3
"""Run a program on the mmap playground through its REST API and print how
many page faults each memory area took.

Only Python's standard library is used. The run is one POST /api/v1/run; its
NDJSON stream (docs/events.md) is read line by line as it arrives. The areas
are followed through the run's "vma" events (add, remove, change), so a
fault is counted against the area that held its address when it happened,
even if the program unmapped that area later.

    python3 docs/examples/faults_per_area.py --example file_vs_anon
    python3 docs/examples/faults_per_area.py --source prog.c --option fault_around=1
    python3 docs/examples/faults_per_area.py --server http://host:8080 --token T --example three_phases

See docs/research.md for what the columns mean and how to go further.
"""

import argparse
import collections
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def request(server, token, method, path, body=None):
    """Sends one API request and returns the open response."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(urllib.parse.urljoin(server, path), data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        return urllib.request.urlopen(req)
    except urllib.error.HTTPError as e:
        # The API's errors are {"error": {"code", "message"}} (docs/api.md).
        try:
            err = json.load(e)["error"]
            msg = "%s: %s" % (err["code"], err["message"])
        except (ValueError, KeyError, TypeError):
            msg = e.reason
        sys.exit("%s %s: %d %s" % (method, path, e.code, msg))


def parse_option(text):
    """Parses "name=value" into a model setting (engine.Options)."""
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError("want name=value, not %r" % text)
    if value in ("true", "false"):
        return name, value == "true"
    try:
        return name, int(value, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("%s: want an integer or true/false, not %r" % (name, value))


def area_label(vma):
    """The area as /proc/PID/maps names it: its file, [heap], [stack], or
    [anon] for anonymous memory."""
    return vma["file"] or "[anon]"


class Areas:
    """Each process's areas, kept up to date from the run's vma events."""

    def __init__(self):
        self.by_pid = collections.defaultdict(list)

    def apply(self, ev):
        areas = self.by_pid[ev.get("pid", 0)]
        vma, op = ev["vma"], ev["op"]
        if op == "add":
            areas.append(vma)
        elif op == "remove":
            areas[:] = [a for a in areas if (a["start"], a["end"]) != (vma["start"], vma["end"])]
        elif op == "change":
            old = ev.get("old", vma)
            areas[:] = [a for a in areas if (a["start"], a["end"]) != (old["start"], old["end"])]
            areas.append(vma)

    def find(self, pid, addr):
        for a in self.by_pid[pid]:
            if a["start"] <= addr < a["end"]:
                return a
        return None


def count_faults(lines):
    """Reads NDJSON event lines; returns the rows (one per area that took a
    fault) and the exit event."""
    areas = Areas()
    rows = collections.OrderedDict()
    exit_event = None
    for line in lines:
        line = line.strip()
        if not line:
            continue
        ev = json.loads(line)
        typ = ev["type"]
        if typ == "vma":
            areas.apply(ev)
        elif typ == "fault":
            pid = ev.get("pid", 0)
            a = areas.find(pid, ev["addr"])
            if a is None:
                key = (pid, None, None, "(no area)", "")
            else:
                key = (pid, a["start"], a["end"], area_label(a), a["perms"])
            row = rows.setdefault(key, {"faults": 0, "major": 0, "kinds": collections.Counter()})
            row["faults"] += 1
            row["major"] += 1 if ev["major"] else 0
            row["kinds"][ev["kind"]] += 1
        elif typ == "exit":
            exit_event = ev
    return rows, exit_event


def print_table(rows, out):
    header = ("pid", "area", "perms", "name", "faults", "major", "kinds")
    table = [header]
    for (pid, start, end, name, perms), row in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        span = "-" if start is None else "%x-%x" % (start, end)
        kinds = ", ".join("%s %d" % (k, n) for k, n in sorted(row["kinds"].items()))
        table.append((str(pid), span, perms or "-", name, str(row["faults"]), str(row["major"]), kinds))
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    for r in table:
        cells = [r[i].rjust(widths[i]) if i in (4, 5) else r[i].ljust(widths[i]) for i in range(len(widths))]
        out.write("  ".join(cells + [r[-1]]).rstrip() + "\n")
    total = sum(r["faults"] for r in rows.values())
    major = sum(r["major"] for r in rows.values())
    out.write("total: %d faults, %d major, in %d areas\n" % (total, major, len(rows)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server", default="http://localhost:8080", help="the playground server (default %(default)s)")
    ap.add_argument("--token", default="", help="the server's access token, if it has one (PLAYGROUND_TOKEN)")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--example", help="a built-in example (GET /api/v1/examples lists them)")
    what.add_argument("--source", help="a C file to run")
    ap.add_argument("--engine", default="sim", choices=("sim", "real"), help="the engine (default %(default)s)")
    ap.add_argument("--option", action="append", type=parse_option, default=[], metavar="NAME=VALUE",
                    help="a model setting, e.g. fault_around=1 or ram=268435456 (repeatable)")
    args = ap.parse_args()

    if args.example:
        ex = json.load(request(args.server, args.token, "GET", "/api/v1/examples/" + urllib.parse.quote(args.example)))
        run = {"name": ex["name"] + ".c", "source": ex["source"], "files": ex.get("files", {}), "args": ex.get("args", [])}
    else:
        with open(args.source) as f:
            run = {"name": args.source.rsplit("/", 1)[-1], "source": f.read()}
    run["engine"] = args.engine
    if args.option:
        run["options"] = dict(args.option)

    resp = request(args.server, args.token, "POST", "/api/v1/run", run)
    rows, exit_event = count_faults(line.decode() for line in resp)
    print_table(rows, sys.stdout)
    if exit_event is None:
        sys.exit("the stream ended without an exit event")
    print("exit: status %d%s" % (exit_event["status"], " (" + exit_event["signal"] + ")" if exit_event["signal"] else ""))


if __name__ == "__main__":
    main()
