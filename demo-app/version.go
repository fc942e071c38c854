package main

// A release of the demo app: which version it claims to be and, to play a bad release, how it is
// broken. Both come from the environment, so one image plays every release: rebound builds images
// locally (no registry), and a rollout that changes only the environment exercises exactly what a
// rollout of a new tag does (Compose recreates the container, a Deployment rolls a new ReplicaSet)
// without a second image to build and load into every kind node.
//
//	VERSION  the version answered in X-Version and in the body (default v1)
//	BROKEN   unset/empty: a good release. Otherwise one of:
//	         health  /healthz answers 500 while / still answers 200: the release never becomes
//	                 ready (Kubernetes readiness, Docker HEALTHCHECK) although it serves
//	         errors  / answers 500 while /healthz answers 200: ready, but every request fails
//	         exit    the process logs why and exits 1 at start: a crash loop

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
)

type release struct {
	version string
	broken  string
}

var brokenModes = map[string]string{
	"health": "/healthz answers 500",
	"errors": "/ answers 500",
	"exit":   "exits 1 at start",
}

// The version appears in headers and in a space-separated body: keep it one token of plain characters.
var versionPattern = regexp.MustCompile(`^[A-Za-z0-9._+-]{1,64}$`)

// releaseFromEnv reads VERSION and BROKEN; a value it does not know is an error (exit 2 in main),
// so a typo never passes for a good release.
func releaseFromEnv() (release, error) {
	r := release{version: os.Getenv("VERSION"), broken: os.Getenv("BROKEN")}
	if r.version == "" {
		r.version = "v1"
	}
	if !versionPattern.MatchString(r.version) {
		return r, fmt.Errorf("VERSION=%q: use letters, digits and . _ + - (at most 64), e.g. v2", r.version)
	}
	if _, known := brokenModes[r.broken]; r.broken != "" && !known {
		return r, fmt.Errorf("BROKEN=%q: expected health, errors or exit (or unset for a good release)", r.broken)
	}
	return r, nil
}

// failAtStart ends the process when the release is broken that way; the log says so, so that
// `docker logs` and `kubectl logs --previous` show why the container keeps dying.
func (r release) failAtStart() {
	if r.broken == "exit" {
		log.Printf("demo-app %s: BROKEN=exit, a broken release: exiting 1 at start", r.version)
		os.Exit(1)
	}
}

// describe is the release in the start-up log line.
func (r release) describe() string {
	if r.broken == "" {
		return "version " + r.version
	}
	return fmt.Sprintf("version %s, BROKEN=%s (%s)", r.version, r.broken, brokenModes[r.broken])
}

// health answers /healthz: 200 "ok", or 500 for BROKEN=health.
func (r release) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("X-Version", r.version)
	if r.broken == "health" {
		http.Error(w, "unhealthy: BROKEN=health (a broken release)", http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "ok")
}

// serve wraps a handler of / : every answer names the version, and BROKEN=errors fails it with a
// body that still starts "instance <id>", so rebound knows who failed.
func (r release) serve(instance string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("X-Instance", instance)
		w.Header().Set("X-Version", r.version)
		if r.broken == "errors" {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "instance %s version %s broken: BROKEN=errors (a broken release)\n", instance, r.version)
			return
		}
		next(w, req)
	}
}
