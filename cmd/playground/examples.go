package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/mmapplayground/playground/examples"
)

// runExamples lists the built-in examples, or prints one's source: with
// --lang zh the titles in Chinese and the program with its Chinese
// comments (the same program line for line).
func runExamples(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("examples", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "en", "the language of the titles and the program's comments: en or zh")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: playground examples [--lang en|zh] [NAME]\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitStatus(2)
	}
	if *lang != "en" && *lang != "zh" {
		return usageError{fmt.Sprintf("--lang %q: want en or zh", *lang)}
	}
	zh := *lang == "zh"
	if args := fs.Args(); len(args) > 0 {
		ex, ok := examples.Get(args[0])
		if !ok {
			return usageError{fmt.Sprintf("no example %q; run 'playground examples' for the list", args[0])}
		}
		src := ex.Source
		if zh && ex.SourceZh != "" {
			src = ex.SourceZh
		}
		_, err := io.WriteString(stdout, src)
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
		title := ex.Title
		if zh {
			title = ex.TitleZh
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ex.Name, engines, ex.Expect, title)
	}
	fmt.Fprintln(tw, "\nRun one with: playground run --example NAME")
	return tw.Flush()
}
