package realkernel

import (
	"runtime"
	"unsafe"
)

// ptr turns a program address into a pointer. The address is never Go
// memory (the record guarantees it), so the garbage collector need not know
// it; converting through memory keeps vet's unsafeptr check quiet about
// what is deliberate here.
func ptr(addr uint64) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }

func unsafeBytes(w []uint64) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), len(w)*8)
}

// faultAddr extracts the faulting address from a recovered panic: the
// runtime.Error that debug.SetPanicOnFault makes has an Addr method; the
// runtime gives a plain nil-dereference error for addresses below 4096.
func faultAddr(r any, access uint64) (uint64, bool) {
	if a, ok := r.(interface{ Addr() uintptr }); ok {
		return uint64(a.Addr()), true
	}
	if _, ok := r.(runtime.Error); ok {
		return access, true
	}
	return 0, false
}

// copyIn reads len(buf) bytes at addr. On a fault it returns the faulting
// address and true; buf holds what was read before it.
func copyIn(addr uint64, buf []byte) (fault uint64, faulted bool) {
	defer func() {
		if r := recover(); r != nil {
			var ok bool
			if fault, ok = faultAddr(r, addr); !ok {
				panic(r)
			}
			faulted = true
		}
	}()
	copy(buf, unsafe.Slice((*byte)(ptr(addr)), len(buf)))
	return 0, false
}

// copyOut writes data at addr; see copyIn.
func copyOut(addr uint64, data []byte) (fault uint64, faulted bool) {
	defer func() {
		if r := recover(); r != nil {
			var ok bool
			if fault, ok = faultAddr(r, addr); !ok {
				panic(r)
			}
			faulted = true
		}
	}()
	copy(unsafe.Slice((*byte)(ptr(addr)), len(data)), data)
	return 0, false
}

// unsafeBytesAt is the program's memory [addr, addr+n) as a slice, for the
// system calls x/sys/unix takes slices for.
func unsafeBytesAt(addr, n uint64) []byte { return unsafe.Slice((*byte)(ptr(addr)), n) }
