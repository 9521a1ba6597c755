//go:build !unix

package main

import "time"

// childrenCPU is not measured here.
func childrenCPU() time.Duration { return 0 }
