package realkernel

import (
	"debug/dwarf"
	"debug/elf"
	"path/filepath"
	"sort"
)

// Lines is a program's DWARF line table, restricted to one source file:
// which line and column of the program an instruction address belongs to.
// Addresses are the ELF file's; a PIE's runtime address minus its load base.
type Lines struct {
	rows []lineRow
	// Text is the executable's code, [TextStart, TextEnd) in file
	// addresses: a return address there is in the program's own code.
	TextStart, TextEnd uint64
}

type lineRow struct {
	addr      uint64
	line, col int
	end       bool // the end of a sequence: no line from here
}

// ReadLines reads the line table of binary for the source file named
// source ("prog.c").
func ReadLines(binary, source string) (*Lines, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l := &Lines{}
	if s := f.Section(".text"); s != nil {
		l.TextStart, l.TextEnd = s.Addr, s.Addr+s.Size
	}
	d, err := f.DWARF()
	if err != nil {
		return l, err
	}
	r := d.Reader()
	for {
		cu, err := r.Next()
		if err != nil || cu == nil {
			break
		}
		if cu.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		lr, err := d.LineReader(cu)
		if err != nil || lr == nil {
			r.SkipChildren()
			continue
		}
		var e dwarf.LineEntry
		for lr.Next(&e) == nil {
			if e.EndSequence {
				l.rows = append(l.rows, lineRow{addr: e.Address, end: true})
				continue
			}
			if e.File == nil || filepath.Base(e.File.Name) != source {
				l.rows = append(l.rows, lineRow{addr: e.Address, end: true})
				continue
			}
			l.rows = append(l.rows, lineRow{addr: e.Address, line: e.Line, col: e.Column})
		}
		r.SkipChildren()
	}
	sort.SliceStable(l.rows, func(i, j int) bool { return l.rows[i].addr < l.rows[j].addr })
	return l, nil
}

// At is the source position of the instruction at file address pc; ok is
// false when pc is not in the source file's code.
func (l *Lines) At(pc uint64) (line, col int, ok bool) {
	if l == nil {
		return 0, 0, false
	}
	i := sort.Search(len(l.rows), func(i int) bool { return l.rows[i].addr > pc }) - 1
	// Rows at one address: the last one given wins (sort is stable).
	if i < 0 || l.rows[i].end || l.rows[i].line == 0 {
		return 0, 0, false
	}
	return l.rows[i].line, l.rows[i].col, true
}

// InText reports whether file address pc is in the executable's code.
func (l *Lines) InText(pc uint64) bool {
	return l != nil && pc >= l.TextStart && pc < l.TextEnd
}
