package interp

import (
	"testing"

	"github.com/mmapplayground/playground/examples"
)

// BenchmarkCompileExamples compiles every built-in example once an
// iteration: what a classroom's runs cost before they run (the headers'
// macros, the prelude, the program).
func BenchmarkCompileExamples(b *testing.B) {
	all := examples.All()
	b.ReportAllocs()
	for b.Loop() {
		for _, ex := range all {
			// Some examples are compile errors, on purpose: they cost
			// their compile all the same.
			Compile(ex.Name+".c", ex.Source)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(all)), "µs/program")
}
