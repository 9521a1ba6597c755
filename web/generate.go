package web

// static/linux.js is made from package engine's tables by the test that
// checks it is current.
//go:generate go test -run TestLinuxJSCurrent -update .
