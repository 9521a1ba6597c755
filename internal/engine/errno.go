package engine

// Errno is a Linux error number, as a system call returns it negated.
// The model returns exactly the errno the kernel returns; 0 means success.
type Errno int

// Linux x86-64 errno values (asm-generic/errno-base.h, asm-generic/errno.h).
const (
	EPERM           Errno = 1
	ENOENT          Errno = 2
	ESRCH           Errno = 3
	EINTR           Errno = 4
	EIO             Errno = 5
	ENXIO           Errno = 6
	E2BIG           Errno = 7
	ENOEXEC         Errno = 8
	EBADF           Errno = 9
	ECHILD          Errno = 10
	EAGAIN          Errno = 11
	ENOMEM          Errno = 12
	EACCES          Errno = 13
	EFAULT          Errno = 14
	EBUSY           Errno = 16
	EEXIST          Errno = 17
	EXDEV           Errno = 18
	ENODEV          Errno = 19
	ENOTDIR         Errno = 20
	EISDIR          Errno = 21
	EINVAL          Errno = 22
	ENFILE          Errno = 23
	EMFILE          Errno = 24
	ENOTTY          Errno = 25
	ETXTBSY         Errno = 26
	EFBIG           Errno = 27
	ENOSPC          Errno = 28
	ESPIPE          Errno = 29
	EROFS           Errno = 30
	EMLINK          Errno = 31
	EPIPE           Errno = 32
	EDOM            Errno = 33
	ERANGE          Errno = 34
	EDEADLK         Errno = 35
	ENAMETOOLONG    Errno = 36
	ENOSYS          Errno = 38
	ENOTEMPTY       Errno = 39
	ELOOP           Errno = 40
	EOVERFLOW       Errno = 75
	EUSERS          Errno = 87
	ENOTSOCK        Errno = 88
	EMSGSIZE        Errno = 90
	EPROTONOSUPPORT Errno = 93
	ESOCKTNOSUPPORT Errno = 94
	EOPNOTSUPP      Errno = 95
	EAFNOSUPPORT    Errno = 97
	ECONNRESET      Errno = 104
	EISCONN         Errno = 106
	ENOTCONN        Errno = 107
	ECONNREFUSED    Errno = 111
	ETIMEDOUT       Errno = 110
)

type errnoInfo struct{ name, text string }

// errnoTable holds each errno's symbolic name and glibc's strerror text,
// so perror and strerror print what they print on Linux.
var errnoTable = map[Errno]errnoInfo{
	EPERM:           {"EPERM", "Operation not permitted"},
	ENOENT:          {"ENOENT", "No such file or directory"},
	ESRCH:           {"ESRCH", "No such process"},
	EINTR:           {"EINTR", "Interrupted system call"},
	EIO:             {"EIO", "Input/output error"},
	ENXIO:           {"ENXIO", "No such device or address"},
	E2BIG:           {"E2BIG", "Argument list too long"},
	ENOEXEC:         {"ENOEXEC", "Exec format error"},
	EBADF:           {"EBADF", "Bad file descriptor"},
	ECHILD:          {"ECHILD", "No child processes"},
	EAGAIN:          {"EAGAIN", "Resource temporarily unavailable"},
	ENOMEM:          {"ENOMEM", "Cannot allocate memory"},
	EACCES:          {"EACCES", "Permission denied"},
	EFAULT:          {"EFAULT", "Bad address"},
	EBUSY:           {"EBUSY", "Device or resource busy"},
	EEXIST:          {"EEXIST", "File exists"},
	EXDEV:           {"EXDEV", "Invalid cross-device link"},
	ENODEV:          {"ENODEV", "No such device"},
	ENOTDIR:         {"ENOTDIR", "Not a directory"},
	EISDIR:          {"EISDIR", "Is a directory"},
	EINVAL:          {"EINVAL", "Invalid argument"},
	ENFILE:          {"ENFILE", "Too many open files in system"},
	EMFILE:          {"EMFILE", "Too many open files"},
	ENOTTY:          {"ENOTTY", "Inappropriate ioctl for device"},
	ETXTBSY:         {"ETXTBSY", "Text file busy"},
	EFBIG:           {"EFBIG", "File too large"},
	ENOSPC:          {"ENOSPC", "No space left on device"},
	ESPIPE:          {"ESPIPE", "Illegal seek"},
	EROFS:           {"EROFS", "Read-only file system"},
	EMLINK:          {"EMLINK", "Too many links"},
	EPIPE:           {"EPIPE", "Broken pipe"},
	EDOM:            {"EDOM", "Numerical argument out of domain"},
	ERANGE:          {"ERANGE", "Numerical result out of range"},
	ENAMETOOLONG:    {"ENAMETOOLONG", "File name too long"},
	ENOSYS:          {"ENOSYS", "Function not implemented"},
	ENOTEMPTY:       {"ENOTEMPTY", "Directory not empty"},
	ELOOP:           {"ELOOP", "Too many levels of symbolic links"},
	EOVERFLOW:       {"EOVERFLOW", "Value too large for defined data type"},
	EDEADLK:         {"EDEADLK", "Resource deadlock avoided"},
	ETIMEDOUT:       {"ETIMEDOUT", "Connection timed out"},
	EOPNOTSUPP:      {"EOPNOTSUPP", "Operation not supported"},
	ENOTSOCK:        {"ENOTSOCK", "Socket operation on non-socket"},
	EMSGSIZE:        {"EMSGSIZE", "Message too long"},
	EPROTONOSUPPORT: {"EPROTONOSUPPORT", "Protocol not supported"},
	ESOCKTNOSUPPORT: {"ESOCKTNOSUPPORT", "Socket type not supported"},
	EAFNOSUPPORT:    {"EAFNOSUPPORT", "Address family not supported by protocol"},
	ECONNRESET:      {"ECONNRESET", "Connection reset by peer"},
	EISCONN:         {"EISCONN", "Transport endpoint is already connected"},
	ENOTCONN:        {"ENOTCONN", "Transport endpoint is not connected"},
	ECONNREFUSED:    {"ECONNREFUSED", "Connection refused"},
	EUSERS:          {"EUSERS", "Too many users"},
}

// Name is the symbolic name, "EINVAL"; "" for 0.
func (e Errno) Name() string {
	if e == 0 {
		return ""
	}
	if i, ok := errnoTable[e]; ok {
		return i.name
	}
	return "E" + itoa(int64(e))
}

// Error is glibc's strerror text, "Invalid argument".
func (e Errno) Error() string {
	if e == 0 {
		return "Success"
	}
	if i, ok := errnoTable[e]; ok {
		return i.text
	}
	return "Unknown error " + itoa(int64(e))
}

// ErrnoByName maps "EINVAL" to EINVAL; 0 when unknown.
func ErrnoByName(name string) Errno {
	for e, i := range errnoTable {
		if i.name == name {
			return e
		}
	}
	return 0
}

// Errnos lists every errno the table knows, for headers that define them.
func Errnos() []Errno {
	out := make([]Errno, 0, len(errnoTable))
	for e := range errnoTable {
		out = append(out, e)
	}
	// Sorted so that anything built from it is deterministic.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
