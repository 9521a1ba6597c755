package realkernel

import "unsafe"

func unsafePointer(x *int64) unsafe.Pointer { return unsafe.Pointer(x) }
