package main

// Tiers: the demo app alone (the default), or the `web` tier of a two-tier app that calls an `api`
// tier by its service name for every request, to show where each tier runs.
//
//	TIER         unset or "api": answer / by itself; "web": call API_URL for every request
//	API_URL      web only: the api tier (default http://api:8080/, the Compose service / Kubernetes
//	             Service name, resolved by Docker's DNS or CoreDNS)
//	API_TIMEOUT  web only: how long to wait for the api (default 500ms, a Go duration: shorter than
//	             rebound's default 1 s probe timeout, so an api failure is a 502, not a timeout)
//	NODE_NAME    the node this instance runs on (Kubernetes: the downward API's spec.nodeName); unset
//	             on a Docker host, where every container runs on the one host
//
// Answers of the web tier: `X-Instance`, `X-Version`, `X-Node` (its own), `X-Api-Instance`,
// `X-Api-Version`, `X-Api-Node` (the api's, from its headers) and, when both nodes are known,
// `X-Crossed-Nodes: true|false` (web and api on different nodes). An api failure (refused, reset,
// timed out, non-200) is a 502 whose body says which and why.

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// where names the node for a body: "on node X", or "on one host" where there are no nodes (Docker).
func where(node string) string {
	if node == "" {
		return "on one host"
	}
	return "on node " + node
}

// rootHandler answers / for the configured tier.
func rootHandler(instance string, r release) (http.HandlerFunc, error) {
	node := os.Getenv("NODE_NAME")
	self := fmt.Sprintf("instance %s version %s %s", instance, r.version, where(node))
	setNode := func(w http.ResponseWriter) {
		if node != "" {
			w.Header().Set("X-Node", node)
		}
	}
	switch tier := os.Getenv("TIER"); tier {
	case "", "api":
		return r.serve(instance, func(w http.ResponseWriter, _ *http.Request) {
			setNode(w)
			fmt.Fprintln(w, self)
		}), nil
	case "web":
		web, err := newWebTier(self, node)
		if err != nil {
			return nil, err
		}
		return r.serve(instance, func(w http.ResponseWriter, req *http.Request) {
			setNode(w)
			web.serve(w, req)
		}), nil
	default:
		return nil, fmt.Errorf("TIER=%q: expected web or api (or unset for one tier)", tier)
	}
}

type webTier struct {
	self    string
	node    string
	apiURL  string
	timeout time.Duration
	client  *http.Client
}

func newWebTier(self, node string) (*webTier, error) {
	apiURL := os.Getenv("API_URL")
	if apiURL == "" {
		apiURL = "http://api:8080/"
	}
	timeout := 500 * time.Millisecond
	if text := os.Getenv("API_TIMEOUT"); text != "" {
		parsed, err := time.ParseDuration(text)
		if err != nil || parsed <= 0 || parsed > time.Minute {
			return nil, fmt.Errorf("API_TIMEOUT=%q: expected a Go duration between 1ms and 1m, e.g. 500ms", text)
		}
		timeout = parsed
	}
	// A new connection per call: kube-proxy (and Docker's DNS round robin) pick an api instance per
	// connection, so keep-alive would pin each web instance to one api instance and hide the spread.
	transport := &http.Transport{DisableKeepAlives: true, ResponseHeaderTimeout: timeout}
	return &webTier{self: self, node: node, apiURL: apiURL, timeout: timeout, client: &http.Client{Timeout: timeout, Transport: transport}}, nil
}

func (t *webTier) serve(w http.ResponseWriter, req *http.Request) {
	call, _ := http.NewRequestWithContext(req.Context(), http.MethodGet, t.apiURL, nil)
	response, err := t.client.Do(call)
	if err != nil {
		t.fail(w, fmt.Sprintf("api %s unreachable (timeout %s): %v", t.apiURL, t.timeout, err))
		return
	}
	defer response.Body.Close()
	// The api's first line is enough to say who answered; the rest is not read into memory.
	first, _ := bufio.NewReader(io.LimitReader(response.Body, 4096)).ReadString('\n')
	first = strings.TrimSpace(first)
	if response.StatusCode != http.StatusOK {
		t.fail(w, fmt.Sprintf("api %s answered %d: %s", t.apiURL, response.StatusCode, first))
		return
	}
	apiInstance, apiVersion, apiNode := response.Header.Get("X-Instance"), response.Header.Get("X-Version"), response.Header.Get("X-Node")
	w.Header().Set("X-Api-Instance", apiInstance)
	w.Header().Set("X-Api-Version", apiVersion)
	crossing := ""
	if apiNode != "" {
		w.Header().Set("X-Api-Node", apiNode)
	}
	if t.node != "" && apiNode != "" {
		crossed := t.node != apiNode
		w.Header().Set("X-Crossed-Nodes", fmt.Sprint(crossed))
		crossing = map[bool]string{true: " (crossed nodes)", false: " (same node)"}[crossed]
	}
	fmt.Fprintf(w, "%s\napi %s%s\n", t.self, first, crossing)
}

// fail answers 502: the web tier is up, the tier behind it is not.
func (t *webTier) fail(w http.ResponseWriter, why string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusBadGateway)
	fmt.Fprintf(w, "%s\n%s\n", t.self, why)
}
