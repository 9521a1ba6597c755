package browsertest

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/mmapplayground/playground/examples"
	"github.com/mmapplayground/playground/internal/engine"
	"github.com/mmapplayground/playground/web"
)

// fakeAPI answers the routes the page uses with scripted event streams, so
// the page's own behaviour (drawing, the log, stepping in the browser) can be
// tested apart from the engine: a small file-mapping program, and a 1 GiB
// page-by-page one. The tests against the real server are in page_test.go.
func fakeAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/examples", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, examples.All())
	})
	mux.HandleFunc("GET /api/v1/examples/{name}", func(w http.ResponseWriter, r *http.Request) {
		ex, ok := examples.Get(r.PathValue("name"))
		if !ok {
			http.Error(w, `{"error":{"code":"not_found","message":"no such example"}}`, 404)
			return
		}
		writeJSON(w, ex)
	})
	mux.HandleFunc("POST /api/v1/run", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Source string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, `{"error":{"code":"invalid","message":"bad body"}}`, 400)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		bw := bufio.NewWriterSize(w, 64<<10)
		var line []byte
		slow := strings.Contains(body.Source, "// slow")
		emit := func(e *engine.Event) {
			line = append(e.AppendJSON(line[:0]), '\n')
			bw.Write(line)
			if slow && e.Seq%2000 == 0 {
				// A program that takes a while: flush, then wait.
				bw.Flush()
				w.(http.Flusher).Flush()
				// Slow enough that a test can pause it on a loaded machine (about 8 s in all).
				time.Sleep(60 * time.Millisecond)
			}
		}
		if strings.Contains(body.Source, "1 GiB") || strings.Contains(body.Source, "1024L * 1024 * 1024") {
			bigScript(emit, !strings.Contains(body.Source, "munmap"))
		} else {
			smallScript(emit)
		}
		bw.Flush()
	})
	mux.Handle("/", web.Handler(web.Options{}))
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

type script struct {
	emit func(*engine.Event)
	seq  uint64
}

func (s *script) ev(e engine.Event) {
	s.seq++
	e.Seq = s.seq
	e.Time = s.seq * 100
	if e.Pid == 0 {
		e.Pid = 1
	}
	s.emit(&e)
}

const (
	stackTop = 0x7ffffffff000
	mmapBase = 0x7ffff7fff000
)

func (s *script) exec() []engine.VMA {
	areas := []engine.VMA{
		{Start: 0x400000, End: 0x401000, Perms: "r--p", File: "prog.c"},
		{Start: 0x401000, End: 0x402000, Perms: "rw-p", File: "prog.c"},
		{Start: 0x402000, End: 0x423000, Perms: "rw-p", File: "[heap]"},
		{Start: stackTop - 0x21000, End: stackTop, Perms: "rw-p", File: "[stack]", Flags: []string{"GROWSDOWN"}},
	}
	for i := range areas {
		v := areas[i]
		s.ev(engine.Event{Type: engine.EvExec, Name: "prog.c", VMA: &v})
	}
	return areas
}

func smallScript(emit func(*engine.Event)) {
	s := &script{emit: emit}
	areas := s.exec()
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "openat", Args: []engine.Arg{{Int: -100}, {Str: "data.bin", IsStr: true}, {Int: 2}}, Ret: 3, Line: 20, Col: 11, Path: []string{"do_sys_open"}})
	start := uint64(mmapBase - 4*4096)
	file := engine.VMA{Start: start, End: start + 4*4096, Perms: "rw-s", File: "data.bin", Flags: []string{"MAYREAD", "MAYWRITE", "MAYSHARE"}}
	s.ev(engine.Event{Type: engine.EvVMA, Op: "add", Why: "mmap", VMA: &file, Line: 24, Col: 12})
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "mmap", Args: engine.IntArgs(0, 16384, 3, 1, 3, 0), Ret: int64(start), Line: 24, Col: 12, Path: []string{"do_mmap", "get_unmapped_area", "mmap_region", "call_mmap", "vma_link"}})
	s.ev(engine.Event{Type: engine.EvStdout, Text: "mapped data.bin\n", Line: 26, Col: 2})
	s.ev(engine.Event{Type: engine.EvPageCache, Op: "add", File: "data.bin", Index: 0, State: "clean", PFN: 100, Line: 27, Col: 2})
	s.ev(engine.Event{Type: engine.EvDisk, Op: "read", File: "data.bin", Index: 0, Why: "fault", Line: 27, Col: 2})
	s.ev(engine.Event{Type: engine.EvPTE, Op: "set", Addr: start, PFN: 100, Bits: "present|user|accessed", Line: 27, Col: 2})
	s.ev(engine.Event{Type: engine.EvFault, Addr: start, Access: "read", Kind: "file-major", Major: true, Result: "ok", PFN: 100, Line: 27, Col: 2, Path: []string{"handle_mm_fault", "do_read_fault", "filemap_fault"}})
	s.ev(engine.Event{Type: engine.EvPTE, Op: "change", Addr: start, PFN: 100, Bits: "present|write|user|accessed|dirty", Line: 28, Col: 2})
	s.ev(engine.Event{Type: engine.EvFault, Addr: start, Access: "write", Kind: "shared-write", Result: "ok", PFN: 100, Line: 28, Col: 2, Path: []string{"handle_mm_fault", "do_wp_page", "wp_page_shared"}})
	s.ev(engine.Event{Type: engine.EvPageCache, Op: "dirty", File: "data.bin", Index: 0, State: "dirty", PFN: 100, Line: 28, Col: 2})
	// Split by mprotect of the second page.
	a := file
	a.End = start + 4096
	b := file
	b.Start, b.End, b.Perms, b.Offset = start+4096, start+8192, "r--s", 4096
	c := file
	c.Start, c.Offset = start+8192, 8192
	s.ev(engine.Event{Type: engine.EvVMA, Op: "change", Why: "split", VMA: &a, Old: &file, Line: 30, Col: 2})
	s.ev(engine.Event{Type: engine.EvVMA, Op: "add", Why: "split", VMA: &b, Line: 30, Col: 2})
	s.ev(engine.Event{Type: engine.EvVMA, Op: "add", Why: "split", VMA: &c, Line: 30, Col: 2})
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "mprotect", Args: engine.IntArgs(int64(start+4096), 4096, 1), Line: 30, Col: 2, Path: []string{"do_mprotect_pkey", "mprotect_fixup", "split_vma"}})
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "msync", Args: engine.IntArgs(int64(start), 16384, 4), Line: 31, Col: 2})
	s.ev(engine.Event{Type: engine.EvDisk, Op: "write", File: "data.bin", Index: 0, Why: "msync", Line: 31, Col: 2})
	s.ev(engine.Event{Type: engine.EvPageCache, Op: "clean", File: "data.bin", Index: 0, State: "clean", PFN: 100, Line: 31, Col: 2})
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "mmap", Args: engine.IntArgs(0, 4096, 3, 0x22, -1, 0x1001), Ret: -1, Errno: "EINVAL", Line: 33, Col: 2, Path: []string{"do_mmap"}})
	s.ev(engine.Event{Type: engine.EvStdout, Text: "done\n", Line: 34, Col: 2})
	all := append(areas[:4:4], a, b, c)
	for i := range all {
		all[i].PresentPages = 0
	}
	all[4].PresentPages = 1
	s.ev(engine.Event{Type: engine.EvExit, VMAs: all, Counters: &engine.Counters{Syscalls: 4, MajorFaults: 1, MinorFaults: 1, DiskReads: 1, DiskWrites: 1, PTEsSet: 1}})
}

// bigScript is a 1 GiB anonymous mapping written page by page.
func bigScript(emit func(*engine.Event), keep bool) {
	s := &script{emit: emit}
	s.exec()
	const pages = 1 << 18
	start := uint64(mmapBase - pages*4096)
	v := engine.VMA{Start: start, End: mmapBase, Perms: "rw-p", Flags: []string{"MAYREAD", "MAYWRITE"}}
	s.ev(engine.Event{Type: engine.EvVMA, Op: "add", Why: "mmap", VMA: &v, Line: 19, Col: 12})
	s.ev(engine.Event{Type: engine.EvSyscall, Name: "mmap", Args: engine.IntArgs(0, 1<<30, 3, 0x22, -1, 0), Ret: int64(start), Line: 19, Col: 12, Path: []string{"do_mmap", "get_unmapped_area", "mmap_region"}})
	for i := uint64(0); i < pages; i++ {
		a := start + i*4096
		s.ev(engine.Event{Type: engine.EvPTE, Op: "set", Addr: a, PFN: 1000 + i, Bits: "present|write|user|accessed|dirty|nx", Line: 28, Col: 3})
		s.ev(engine.Event{Type: engine.EvFault, Addr: a, Access: "write", Kind: "anon", Result: "ok", PFN: 1000 + i, Line: 28, Col: 3, Path: []string{"handle_mm_fault", "do_anonymous_page"}})
	}
	s.ev(engine.Event{Type: engine.EvStdout, Text: "touched 262144 pages\n", Line: 31, Col: 2})
	v.PresentPages = pages
	s.ev(engine.Event{Type: engine.EvExit, VMAs: []engine.VMA{v}, Counters: &engine.Counters{Syscalls: 2, MinorFaults: pages, PTEsSet: pages}})
}
