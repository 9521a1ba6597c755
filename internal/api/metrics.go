package api

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mmapplayground/playground/internal/runner"
)

// metrics are the server's Prometheus metrics, on a registry of its own so
// that two servers in one process (tests) do not collide.
type metrics struct {
	reg *prometheus.Registry

	sessions      prometheus.Gauge
	sessionsTotal prometheus.Counter
	sessionsReap  prometheus.Counter
	// enginesReleased counts idle sessions' engines given back (paused
	// or ended runs, rebuilt by replay when next used).
	enginesReleased prometheus.Counter
	// sessionsResumed counts runs rebuilt at an event (at_seq): sessions
	// moved here from a replica that went away.
	sessionsResumed prometheus.Counter
	streams         prometheus.Gauge
	runs            *prometheus.CounterVec // by kind (oneshot, session) and engine
	runsActive      prometheus.Gauge
	eventsSent      prometheus.Counter
	eventsDropped   prometheus.Counter
	faults          *prometheus.CounterVec // by fault kind
	runDuration     prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "playground_sessions", Help: "Sessions held now.",
		}),
		sessionsTotal: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_sessions_created_total", Help: "Sessions created.",
		}),
		sessionsReap: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_sessions_reaped_total", Help: "Sessions ended for being idle.",
		}),
		sessionsResumed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_sessions_resumed_total", Help: "Session runs rebuilt at an event from their recipe (at_seq).",
		}),
		enginesReleased: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_engines_released_total", Help: "Idle sessions' engines given back (rebuilt by replay when next used).",
		}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "playground_streams", Help: "Websocket streams connected now.",
		}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "playground_runs_total", Help: "Programs started, by kind (oneshot, session) and engine.",
		}, []string{"kind", "engine"}),
		runsActive: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "playground_runs_active", Help: "Programs running or paused now.",
		}),
		eventsSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_events_sent_total", Help: "Events written to clients (streams and NDJSON responses).",
		}),
		eventsDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "playground_events_dropped_total", Help: "Events lagging stream clients missed.",
		}),
		faults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "playground_faults_total", Help: "Page faults the engines handled, by kind.",
		}, []string{"kind"}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "playground_run_duration_seconds",
			Help:    "Wall time from a run's start to its end (paused time included).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60},
		}),
	}
	m.reg.MustRegister(m.sessions, m.sessionsTotal, m.sessionsReap, m.sessionsResumed, m.enginesReleased, m.streams, m.runs, m.runsActive,
		m.eventsSent, m.eventsDropped, m.faults, m.runDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// buildCache publishes the real engine's build cache: its lookups and
// what it holds.
func (m *metrics) buildCache(stats func() runner.BuildCacheStats) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "playground_build_cache_hits_total", Help: "Real-engine runs whose gcc build came from the build cache.",
		}, func() float64 { return float64(stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "playground_build_cache_misses_total", Help: "Real-engine runs that built their program (and gave the cache its build).",
		}, func() float64 { return float64(stats().Misses) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "playground_build_cache_bytes", Help: "Bytes of gcc builds the build cache holds.",
		}, func() float64 { return float64(stats().Bytes) }),
	)
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
