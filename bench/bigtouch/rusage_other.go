//go:build !unix

package main

import "time"

// childrenCPU and selfCPU are not measured here.
func childrenCPU() time.Duration { return 0 }

func selfCPU() time.Duration { return 0 }
