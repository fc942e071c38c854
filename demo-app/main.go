// demo-app is the system under test for rebound's examples and integration tests: a static HTTP
// server small enough to build FROM scratch without a registry.
//
//	GET /         200 "instance <id>"  (id = hostname: the container or pod name)
//	GET /healthz  200 "ok"
//	demo-app -healthcheck   exit 0 when /healthz answers 200 (the image's HEALTHCHECK)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe /healthz on this host and exit 0 if healthy")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if *healthcheck {
		os.Exit(probe("http://127.0.0.1:" + port + "/healthz"))
	}

	instance, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Instance", instance)
		fmt.Fprintf(w, "instance %s\n", instance)
	})
	server := &http.Server{Addr: ":" + port, Handler: withWork(mux, instance), ReadHeaderTimeout: 5 * time.Second}

	// A graceful stop on SIGTERM, so `stop` and pod deletion with a grace period drain in-flight requests.
	stopped := make(chan struct{})
	go func() {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
		<-signals
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		server.Shutdown(ctx)
		close(stopped)
	}()
	log.Printf("demo-app %s listening on :%s", instance, port)
	if err := server.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
	<-stopped
}

func probe(url string) int {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get(url)
	if err != nil || response.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
