package engine

import (
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// The one table of the ABI's names: each constant of linux.go that a program
// may name is in one ConstSet there, beside its Go constant. From these sets
// the interpreter's headers define the macros, the trace writes arguments by
// name (strace's way), and the page's tables are generated
// (web/static/linux.js). Adding a constant means adding it to linux.go, to
// its const block and its set, and nowhere else.

// Const is one named constant.
type Const struct {
	Name  string
	Value int64
	// Text is the description libc prints for it (strsignal), if any.
	Text string
}

// ConstSet is one family of constants: the values one argument takes.
type ConstSet struct {
	// Name names the set for the generated tables: "prot", "map", "madv".
	Name string
	// Bits: the values are flags or'ed together; otherwise an argument
	// takes exactly one of them.
	Bits bool
	// Field is an enumerated field inside a flags word, with its mask: the
	// mapping type of MAP_* (MAP_TYPE), the access mode of O_* (O_ACCMODE).
	Field     *ConstSet
	FieldMask int64
	// Hidden bits are left out when a value is written (O_LARGEFILE, which
	// glibc adds to every open on x86-64 and strace does not print).
	Hidden int64
	Consts []Const
	// Aliases are more names the headers define for values of the set;
	// they are never used to write a value (MAP_ANON, MAP_TYPE).
	Aliases []Const
}

// Lookup is the name of v in an enumerated set.
func (s *ConstSet) Lookup(v int64) (string, bool) {
	for _, c := range s.Consts {
		if c.Value == v {
			return c.Name, true
		}
	}
	return "", false
}

// Const is the constant named name, from Consts or Aliases.
func (s *ConstSet) Const(name string) (Const, bool) {
	for _, c := range s.Consts {
		if c.Name == name {
			return c, true
		}
	}
	for _, c := range s.Aliases {
		if c.Name == name {
			return c, true
		}
	}
	return Const{}, false
}

// Format writes v as strace does: an enumerated value by its name (or in
// decimal), flags as NAME|NAME with the unknown bits in hex, and 0 as the
// set's zero name ("PROT_NONE") or "0".
func (s *ConstSet) Format(v int64) string {
	if !s.Bits {
		if n, ok := s.Lookup(v); ok {
			return n
		}
		return strconv.FormatInt(v, 10)
	}
	var parts []string
	rest := v &^ s.Hidden
	if s.Field != nil {
		if n, ok := s.Field.Lookup(rest & s.FieldMask); ok {
			parts = append(parts, n)
			rest &^= s.FieldMask
		}
	}
	// The constants with the most bits are taken first, so O_SYNC is not
	// written O_DSYNC|0x100000; they are written in the table's order.
	var chosen []bool
	if rest != 0 {
		chosen = make([]bool, len(s.Consts))
		for _, i := range s.byBits() {
			if c := s.Consts[i].Value; c != 0 && rest&c == c {
				chosen[i] = true
				rest &^= c
			}
		}
	}
	for i, ok := range chosen {
		if ok {
			parts = append(parts, s.Consts[i].Name)
		}
	}
	if rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	if len(parts) == 0 {
		if n, ok := s.Lookup(0); ok {
			return n
		}
		return "0"
	}
	return strings.Join(parts, "|")
}

func (s *ConstSet) byBits() []int {
	idx := make([]int, len(s.Consts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return bits.OnesCount64(uint64(s.Consts[idx[a]].Value)) > bits.OnesCount64(uint64(s.Consts[idx[b]].Value))
	})
	return idx
}

// ConstSets lists every set, for the headers and the generated tables.
func ConstSets() []*ConstSet {
	return []*ConstSet{ProtSet, MapTypeSet, MapSet, MsyncSet, MadvSet, MremapSet, MlockSet, MclSet,
		OpenModeSet, OpenSet, DirfdSet, AtSet, SeekSet, FileTypeSet, WaitSet, SysconfSet, SignalSet,
		SegvCodeSet, BusCodeSet, FpeCodeSet, TrapCodeSet, RlimitSet, FutexCmdSet, FutexSet, EfdSet,
		PrctlSet, MembarrierSet, UffdSet, FallocSet, FcntlSet, SealSet, MfdSet, GrndSet, ItimerSet, FdFlagSet, LockTypeSet, CloseRangeSet,
		CloneSet, CloneArgsSizeSet, PollSet, MdweSet, CldCodeSet, SiCodeSet, MpolSet, CapSet, CapVersionSet,
		SockFamilySet, SockKindSet, SockTypeSet, MsgSet, ShutSet, SpliceSet}
}

// SigCodeName is the si_code's name for a signal: "SEGV_MAPERR" for
// (SIGSEGV, 1); "" when the table has none.
func SigCodeName(sig, code int) string {
	var s *ConstSet
	switch sig {
	case SIGSEGV:
		s = SegvCodeSet
	case SIGBUS:
		s = BusCodeSet
	case SIGFPE:
		s = FpeCodeSet
	case SIGTRAP:
		s = TrapCodeSet
	default:
		return ""
	}
	n, _ := s.Lookup(int64(code))
	return n
}
