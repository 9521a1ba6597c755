package realkernel

// Options configure a real engine.
type Options struct {
	// Dir is the session's working directory, the only place the program's
	// paths resolve. It must exist.
	Dir string
	// ShowRuntime makes Maps list the worker's own mappings (the Go
	// runtime's) as well as the program's.
	ShowRuntime bool
	// Observe picks the fault tiers: "" (the best the host allows),
	// "rusage" (never perf_event_open), or "pagemap" (also compare the
	// pagemap around every first touch of an anonymous page, not only of
	// file pages; slower, for teaching).
	Observe string
	// MaxFiles is how many descriptors the program may have open (its own
	// RLIMIT_NOFILE); 0 takes the process's RLIMIT_NOFILE.
	MaxFiles int
	// Devices are the absolute paths a program may open outside its
	// directory; nil means DefaultDevices.
	Devices []string
}

// DefaultDevices are the system files lessons open.
var DefaultDevices = []string{"/dev/zero", "/dev/null"}
