// Package replicas holds the tests of the playground as more than one
// server: the real server binary, started as child processes, drained with
// SIGTERM, and three replicas behind Debian's haproxy (started by the test,
// with cookie affinity) while the load test (bench/load/loadtest) runs across
// them and one replica is killed. It has no code of its own.
package replicas
