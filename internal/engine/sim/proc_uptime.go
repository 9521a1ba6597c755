package sim

import (
	"strconv"
	"strings"
)

// /proc/uptime, analogous to fs/proc/uptime.c's uptime_proc_show: the time
// since boot and the sum of the CPUs' idle time, each in seconds with two
// decimals. The model boots at logical time 0 and runs one thing at a time
// on the first of its two CPUs (nrCPUs): the second is idle all along, so
// idle time is the uptime.
func showUptime(e *Engine, _, _ *process) string {
	var b strings.Builder
	centi := func(ns uint64) {
		cs := ns / 10_000_000
		b.WriteString(strconv.FormatUint(cs/100, 10))
		b.WriteByte('.')
		if cs%100 < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatUint(cs%100, 10))
	}
	centi(e.clock)
	b.WriteByte(' ')
	centi(e.clock * (nrCPUs - 1))
	b.WriteByte('\n')
	return b.String()
}

func init() {
	procGlobalFiles["/proc/uptime"] = &procFile{record: whole(showUptime)}
}
