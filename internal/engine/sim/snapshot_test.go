package sim

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

func isRef(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Func, reflect.Interface, reflect.Chan:
		return true
	}
	return false
}

// refFields lists "Type.field" for every field that holds a reference, in
// every struct type reachable from Engine (not through reset or shared
// fields, whose insides clone does not copy).
func refFields() []string {
	seen := map[reflect.Type]bool{}
	var out []string
	var walk func(ty reflect.Type)
	walk = func(ty reflect.Type) {
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(ty.Elem())
			return
		case reflect.Map:
			walk(ty.Key())
			walk(ty.Elem())
			return
		case reflect.Struct:
		default:
			return
		}
		if seen[ty] {
			return
		}
		seen[ty] = true
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			name := ty.Name() + "." + f.Name
			how := cloneFields[name]
			if isRef(f.Type.Kind()) || how != "" {
				out = append(out, name)
			}
			if how == "reset" || how == "shared" || how == "cache" {
				continue
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Engine{}))
	sort.Strings(out)
	return out
}

// snapshotScenario builds an engine with something in every structure:
// files in the page cache and on disk, a /proc file half read, shared and
// private mappings, a forked child, pages swapped out.
func snapshotScenario(t *testing.T) *Engine {
	h := newHarness(t, engine.Options{RAM: 64 << 20, Swap: 64 << 20})
	fd := h.file("data", make([]byte, 3*pg))
	shared := h.mmap(0, 3*pg, rw, engine.MAP_SHARED, fd, 0)
	h.store(h.pid, shared, []byte("shared"))
	anon := h.mmap(0, 8*pg, rw, ap, -1, 0)
	for i := uint64(0); i < 8; i++ {
		h.store(h.pid, anon+i*pg, []byte{byte(i + 1)})
	}
	h.ok("madvise", int64(anon), 4*pg, engine.MADV_PAGEOUT)
	maps := h.e.Syscall(h.pid, engine.Call{Name: "open", Path: "/proc/self/maps", Args: []int64{0, engine.O_RDONLY, 0}})
	require.Zero(t, maps.Errno)
	buf := h.mmap(0, pg, rw, ap, -1, 0)
	h.ok("read", maps.Ret, int64(buf), 16)
	h.ok("fork")
	return h.e
}

// TestSnapshotCopiesEveryField holds clone to cloneFields: every reference
// field of the kernel's structures is declared; the copy equals the
// original; and the copy shares no memory with it but through fields
// declared shared, so nothing a restored engine does reaches the snapshot.
func TestSnapshotCopiesEveryField(t *testing.T) {
	var missing []string
	for _, f := range refFields() {
		switch cloneFields[f] {
		case "deep", "shared", "reset", "cache":
		default:
			missing = append(missing, f)
		}
	}
	assert.Empty(t, missing, "fields holding references that clone (snapshot.go's cloneFields) does not say it copies")
	for f := range cloneFields {
		assert.Contains(t, refFields(), f, "cloneFields names a field no structure has")
	}

	e := snapshotScenario(t)
	c := e.clone()
	orig := map[uintptr]string{}
	collect(reflect.ValueOf(e).Elem(), "Engine", orig, map[uintptr]bool{})
	var problems []string
	compare(reflect.ValueOf(e).Elem(), reflect.ValueOf(c).Elem(), "Engine", orig, map[uintptr]bool{}, &problems)
	assert.Empty(t, problems)
}

// collect records the memory every deep reference of v points at.
func collect(v reflect.Value, path string, into map[uintptr]string, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		into[v.Pointer()] = path
		collect(v.Elem(), path, into, seen)
	case reflect.Slice:
		if v.Cap() > 0 {
			into[v.Pointer()] = path
		}
		for i := 0; i < v.Len(); i++ {
			collect(v.Index(i), path+"[]", into, seen)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			collect(v.Index(i), path+"[]", into, seen)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		into[v.Pointer()] = path
		it := v.MapRange()
		for it.Next() {
			collect(it.Value(), path+"[k]", into, seen)
		}
	case reflect.Struct:
		ty := v.Type()
		for i := 0; i < v.NumField(); i++ {
			name := ty.Name() + "." + ty.Field(i).Name
			if how := cloneFields[name]; how == "shared" || how == "reset" || how == "cache" {
				continue
			}
			collect(v.Field(i), name, into, seen)
		}
	}
}

// compare walks the original a and its copy b together.
func compare(a, b reflect.Value, path string, orig map[uintptr]string, seen map[uintptr]bool, problems *[]string) {
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			bad("nil in one, not the other")
			return
		}
		if a.IsNil() {
			return
		}
		if p, ok := orig[b.Pointer()]; ok {
			bad("the copy points into the original (%s)", p)
			return
		}
		if seen[b.Pointer()] {
			return
		}
		seen[b.Pointer()] = true
		compare(a.Elem(), b.Elem(), path, orig, seen, problems)
	case reflect.Slice:
		if a.Len() != b.Len() {
			bad("length %d, copy %d", a.Len(), b.Len())
			return
		}
		if b.Cap() > 0 {
			if p, ok := orig[b.Pointer()]; ok {
				bad("the copy's array is the original's (%s)", p)
				return
			}
		}
		for i := 0; i < a.Len(); i++ {
			compare(a.Index(i), b.Index(i), path+"[]", orig, seen, problems)
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			compare(a.Index(i), b.Index(i), path+"[]", orig, seen, problems)
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			bad("%d entries, copy %d", a.Len(), b.Len())
			return
		}
		if !b.IsNil() {
			if p, ok := orig[b.Pointer()]; ok {
				bad("the copy's map is the original's (%s)", p)
				return
			}
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				bad("key %v missing in the copy", it.Key())
				continue
			}
			compare(it.Value(), bv, path+"[k]", orig, seen, problems)
		}
	case reflect.Struct:
		ty := a.Type()
		for i := 0; i < a.NumField(); i++ {
			name := ty.Name() + "." + ty.Field(i).Name
			switch cloneFields[name] {
			case "reset":
				if !b.Field(i).IsZero() {
					*problems = append(*problems, name+": not reset in the copy")
				}
				continue
			case "shared", "cache":
				continue
			}
			compare(a.Field(i), b.Field(i), name, orig, seen, problems)
		}
	case reflect.Func, reflect.Interface, reflect.Chan:
		// Only ever under reset or shared fields.
	default:
		if !a.Equal(b) {
			bad("%v, copy %v", a, b)
		}
	}
}
