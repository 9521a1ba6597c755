// Package attack holds the tests that attack a real playground server: the
// server binary (go build of ./cmd/playground), started in a child process
// under the compose file's memory cap (RLIMIT_AS: 2 GiB above what the
// server holds when it listens), is sent every
// program, request and client behaviour that once took a classroom server
// down (issue 11). Each attack asserts that the offender gets a clear error
// in its time, that /healthz still answers, and that an innocent session
// started before the attack finishes correctly.
//
// The package has no code of its own: only attack_test.go.
package attack
