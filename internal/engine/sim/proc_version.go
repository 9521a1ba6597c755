package sim

// /proc/version, analogous to fs/proc/version.c's version_proc_show: the
// kernel's linux_proc_banner, "%s version %s (%s@%s) (%s) %s\n" of
// utsname's sysname, release, the builder and host, the compiler and
// utsname's version. The release and version are the model's uname's
// (sys.go), the build's identity this machine's kernel's (cat /proc/version
// here: "(builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils)
// 2.46)").

// linuxCompileBy is LINUX_COMPILE_BY@LINUX_COMPILE_HOST and linuxCompiler
// LINUX_COMPILER, of this machine's kernel.
const (
	linuxCompileBy = "builder@sandboxing"
	linuxCompiler  = "gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46"
)

// linuxBanner is /proc/version's text.
func linuxBanner() string {
	return utsname[0] + " version " + utsname[2] + " (" + linuxCompileBy + ") (" + linuxCompiler + ") " + utsname[3] + "\n"
}

func init() {
	procGlobalFiles["/proc/version"] = &procFile{record: whole(func(*Engine, *process, *process) string { return linuxBanner() })}
}
