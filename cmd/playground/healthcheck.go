package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// runHealthcheck asks a running server's /healthz and succeeds on 200. The
// Docker image has no shell or curl; its HEALTHCHECK runs this.
func runHealthcheck(ctx context.Context, args []string, getenv func(string) string) error {
	url := "http://127.0.0.1:8080/healthz"
	if addr := getenv("PLAYGROUND_ADDR"); addr != "" {
		host, port, _ := strings.Cut(addr, ":")
		if host == "" || host == "0.0.0.0" || host == "[::]" {
			host = "127.0.0.1"
		}
		url = "http://" + host + ":" + port + "/healthz"
	}
	if len(args) > 0 {
		url = args[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}
