package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/mmapplayground/playground/examples"
)

// runExamples lists the built-in examples, or prints one's source.
func runExamples(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		ex, ok := examples.Get(args[0])
		if !ok {
			return usageError{fmt.Sprintf("no example %q; run 'playground examples' for the list", args[0])}
		}
		_, err := io.WriteString(stdout, ex.Source)
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tENGINES\tENDS\tTITLE")
	for _, ex := range examples.All() {
		engines := ""
		for i, e := range ex.Engines {
			if i > 0 {
				engines += ","
			}
			engines += e
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ex.Name, engines, ex.Expect, ex.Title)
	}
	fmt.Fprintln(tw, "\nRun one with: playground run --example NAME")
	return tw.Flush()
}
