package main

// A CPU cost per request, so that load drives CPU and an autoscaler has something to react to.
//
//	GET /work?ms=20   burns 20 ms of CPU, then answers "instance <id> worked 20 ms"
//	WORK_MS=5         GET / burns 5 ms of CPU before answering (default 0: no cost)
//
// The cost is CPU time of the serving thread (CLOCK_THREAD_CPUTIME_ID), not wall time: a request
// needs the same CPU however busy the instance is, so when its CPU limit or the machine's cores
// run out, requests queue and latency grows, as in a real CPU-bound service. A wall-time loop
// would finish on time while burning less, and overload would never show in latency.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

// maxWorkMs bounds one request's cost: a typo in a load test must not pin a core for minutes.
const maxWorkMs = 10_000

// clockThreadCPUTime is CLOCK_THREAD_CPUTIME_ID from <time.h> (Linux).
const clockThreadCPUTime = 3

// withWork registers /work on mux and returns mux with WORK_MS charged to every GET /.
func withWork(mux *http.ServeMux, instance string) http.Handler {
	defaultMs, err := strconv.Atoi(os.Getenv("WORK_MS"))
	if err != nil || defaultMs < 0 || defaultMs > maxWorkMs {
		defaultMs = 0
	}
	mux.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
		if err != nil || ms < 0 || ms > maxWorkMs {
			http.Error(w, fmt.Sprintf("ms must be a whole number of milliseconds, 0 to %d", maxWorkMs), http.StatusBadRequest)
			return
		}
		if !burnCPU(r.Context(), time.Duration(ms)*time.Millisecond) {
			return // the client gave up: nobody reads an answer
		}
		w.Header().Set("X-Instance", instance)
		fmt.Fprintf(w, "instance %s worked %d ms\n", instance, ms)
	})
	if defaultMs == 0 {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" && !burnCPU(r.Context(), time.Duration(defaultMs)*time.Millisecond) {
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// workers lets at most GOMAXPROCS requests burn CPU at once; the others wait their turn blocked
// (a worker pool), not runnable. Without it, 50 queued requests are 50 runnable goroutines, the Go
// scheduler gives each its 10 ms time slice in turn, and /healthz waits behind all of them: under a
// 0.1 CPU limit that is seconds, the readiness probe fails, and an overloaded pod leaves its
// Service instead of serving slowly.
var workers = make(chan struct{}, runtime.GOMAXPROCS(0))

// burnCPU spins until this goroutine's thread has used `cost` of CPU, or until ctx ends (the client
// closed the connection: false). The goroutine is locked to its thread so that the thread's CPU
// clock is the request's. Stopping for a client that gave up is what keeps an overloaded instance
// from burning its CPU on answers nobody waits for, so it catches up once the load drops.
func burnCPU(ctx context.Context, cost time.Duration) bool {
	if cost <= 0 {
		return true
	}
	select {
	case workers <- struct{}{}:
		defer func() { <-workers }()
	case <-ctx.Done():
		return false
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPUTime()
	x := uint64(1)
	for threadCPUTime()-start < cost {
		if ctx.Err() != nil {
			return false
		}
		for i := 0; i < 2000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink = x
	return true
}

// sink keeps the busy loop from being optimised away.
var sink uint64

func threadCPUTime() time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
