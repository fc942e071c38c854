// demo-app is the system under test for rebound's examples and integration tests: a static HTTP
// server small enough to build FROM scratch without a registry.
//
//	GET /         200 "instance <id> version <v> on …"  (id = hostname: the container or pod name;
//	              X-Instance and X-Version headers say the same)
//	GET /healthz  200 "ok"
//	demo-app -healthcheck   exit 0 when /healthz answers 200 (the image's HEALTHCHECK)
//
// One image plays every release and both tiers, from its environment: VERSION and BROKEN in
// version.go, TIER, API_URL, API_TIMEOUT and NODE_NAME in tier.go.
package main

import (
	"context"
	"flag"
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
	release, err := releaseFromEnv()
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	release.failAtStart()
	root, err := rootHandler(instance, release)
	if err != nil {
		log.Print(err)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", release.health)
	mux.HandleFunc("/", root)
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
	log.Printf("demo-app %s (%s) listening on :%s", instance, release.describe(), port)
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
