package api

import "github.com/mmapplayground/playground/web"

// pageLimits are the server's limits as the page tells a teacher about
// them: a run stopped at one is said in words with the setting that
// changes it (its flag and environment variable, from limitVars) and the
// value this server has.
func pageLimits(l Limits) []web.Limit {
	out := make([]web.Limit, 0, len(limitVars))
	for _, v := range limitVars {
		out = append(out, web.Limit{Flag: v.flag, Env: v.env, Value: v.text(l)})
	}
	return out
}
