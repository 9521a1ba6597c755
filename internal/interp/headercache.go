package interp

import (
	"strings"
	"sync"
)

// The built-in headers' macros (the predefined ones, the C library's
// constants, the system call numbers) are lexed and defined once per
// process, not once a compile: they were most of a small program's
// compile. A *macro is never changed once defined (a later #define or
// #undef replaces or deletes the map entry, not the macro), so every
// compile, in any goroutine, shares them.
var (
	predefinedTable = sync.OnceValue(func() []*macro { return defineOnce(predefined) })
	libcTable       = sync.OnceValue(func() []*macro { return defineOnce(libcMacros()) })
	syscallTable    = sync.OnceValue(func() []*macro { return defineOnce(syscallMacros()) })
	// dynamicStackTable is <bits/sigstksz.h> under __USE_DYNAMIC_STACK_SIZE
	// (_GNU_SOURCE or _DYNAMIC_STACK_SIZE_SOURCE when features.h is first
	// read): the signal stack sizes are sysconf's answers for this CPU.
	dynamicStackTable = sync.OnceValue(func() []*macro {
		return defineOnce([]string{"SIGSTKSZ sysconf (_SC_SIGSTKSZ)", "MINSIGSTKSZ SIGSTKSZ"})
	})
)

// headerMacros are the macros of headers whose names are defined only
// for a program that includes them (elf.go's); headerTable has them lexed.
var (
	headerMacros = map[string][]string{}
	headerTables = sync.OnceValue(func() map[string][]*macro {
		t := make(map[string][]*macro, len(headerMacros))
		for h, defs := range headerMacros {
			t[h] = defineOnce(defs)
		}
		return t
	})
)

// defineOnce defines defs ("NAME body", "NAME(a,b) body") in order, as
// defineText does, and returns the macros.
func defineOnce(defs []string) []*macro {
	pp := &preprocessor{macros: map[string]*macro{}}
	ms := make([]*macro, 0, len(defs))
	for _, def := range defs {
		pp.defineText(def)
		name := def
		if i := strings.IndexAny(def, " ("); i >= 0 {
			name = def[:i]
		}
		ms = append(ms, pp.macros[name])
	}
	return ms
}

// defineAll defines ms in pp, in order, as if each were #defined here.
func (pp *preprocessor) defineAll(ms []*macro) {
	for _, m := range ms {
		pp.macros[m.name] = m
	}
}
