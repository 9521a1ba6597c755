package browsertest

import (
	"testing"
	"time"
)

func TestZZBoth(t *testing.T) {
	base := serverURL(t)
	b := newBrowser(t, 1600, 1000)
	for _, lang := range []string{"en"} {
		b.open(base + "/?example=split_areas&engine=both&run=1&lang=" + lang)
		b.waitJS(60*time.Second, `__pg.run().done`)
		b.frames()
		b.screenshot("/tmp/shots", "both-engines-"+lang)
	}
}
