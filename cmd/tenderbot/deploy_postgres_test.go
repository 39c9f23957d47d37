package main

import (
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// composeFile is the part of a compose file the test reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   yaml.Node         `yaml:"depends_on"`
		Ports       []string          `yaml:"ports"`
		Volumes     []string          `yaml:"volumes"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
}

// TestComposeRunsThreeReplicasOnPostgres reads deploy/compose.postgres.yaml
// as compose would (docker itself cannot run here): PostgreSQL with a
// health check, three replicas of the image on it that share the secret
// key and wait for the database, and a proxy, the one service with a port
// on the host, that spreads requests over exactly those replicas.
func TestComposeRunsThreeReplicasOnPostgres(t *testing.T) {
	data, err := os.ReadFile("../../deploy/compose.postgres.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Compose fills in ${NAME:?message} from deploy/.env, or refuses to
	// start with the message when it is unset.
	required := regexp.MustCompile(`\$\{([A-Z_]+):\?[^}]+\}`)
	if n := len(required.FindAll(data, -1)); n < 3 {
		t.Errorf("%d required variables, want POSTGRES_PASSWORD (twice) and TENDERBOT_SECRET_KEY", n)
	}
	data = required.ReplaceAll(data, []byte("from-env-$1"))
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("deploy/compose.postgres.yaml: %v", err)
	}
	db, ok := c.Services["postgres"]
	if !ok || !strings.HasPrefix(db.Image, "postgres:") || db.Healthcheck == nil {
		t.Fatalf("want a postgres service with a health check, got %+v", db)
	}
	known := configVariables()
	var replicas []string
	for name, s := range c.Services {
		if s.Image != "tenderbot:latest" {
			continue
		}
		replicas = append(replicas, name)
		u, err := url.Parse(s.Environment["TENDERBOT_DATABASE_URL"])
		if err != nil || u.Scheme != "postgres" || u.Hostname() != "postgres" || u.User == nil ||
			u.User.Username() != db.Environment["POSTGRES_USER"] || strings.TrimPrefix(u.Path, "/") != db.Environment["POSTGRES_DB"] {
			t.Fatalf("%s: TENDERBOT_DATABASE_URL %q does not name the postgres service's database and user", name, s.Environment["TENDERBOT_DATABASE_URL"])
		}
		if pw, _ := u.User.Password(); pw != db.Environment["POSTGRES_PASSWORD"] || pw != "from-env-POSTGRES_PASSWORD" {
			t.Errorf("%s: the database password %q is not the postgres service's %q", name, pw, db.Environment["POSTGRES_PASSWORD"])
		}
		if got := s.Environment["TENDERBOT_HTTP_ADDR"]; got != "0.0.0.0:8080" {
			t.Errorf("%s: TENDERBOT_HTTP_ADDR=%q, want 0.0.0.0:8080 for the proxy to reach", name, got)
		}
		if s.Environment["TENDERBOT_SECRET_KEY"] != "from-env-TENDERBOT_SECRET_KEY" {
			t.Errorf("%s: TENDERBOT_SECRET_KEY=%q, want one key from .env, required, shared by every replica", name, s.Environment["TENDERBOT_SECRET_KEY"])
		}
		for v := range s.Environment {
			if !known[v] {
				t.Errorf("%s sets %s, which is no TENDERBOT_ variable of Config", name, v)
			}
		}
		var deps map[string]struct {
			Condition string `yaml:"condition"`
		}
		if err := s.DependsOn.Decode(&deps); err != nil || deps["postgres"].Condition != "service_healthy" {
			t.Errorf("%s does not wait for postgres to be healthy: %v %+v", name, err, deps)
		}
		if len(s.Ports) != 0 {
			t.Errorf("%s publishes %v; only the proxy should", name, s.Ports)
		}
	}
	slices.Sort(replicas)
	if len(replicas) != 3 {
		t.Fatalf("replicas of tenderbot:latest: %v, want three", replicas)
	}

	proxy, ok := c.Services["proxy"]
	if !ok || len(proxy.Ports) != 1 || !strings.HasSuffix(proxy.Ports[0], ":8080") {
		t.Fatalf("want a proxy service publishing port 8080, got %+v", proxy)
	}
	var caddyfile string
	for _, v := range proxy.Volumes {
		if src, dst, _ := strings.Cut(v, ":"); strings.HasPrefix(dst, "/etc/caddy/Caddyfile") {
			caddyfile = strings.TrimPrefix(src, "./")
		}
	}
	conf, err := os.ReadFile("../../deploy/" + caddyfile)
	if err != nil {
		t.Fatalf("the proxy's Caddyfile: %v", err)
	}
	var upstreams []string
	for _, m := range regexp.MustCompile(`([a-z0-9-]+):8080`).FindAllStringSubmatch(string(conf), -1) {
		upstreams = append(upstreams, m[1])
	}
	slices.Sort(upstreams)
	if !reflect.DeepEqual(upstreams, replicas) {
		t.Errorf("the proxy sends to %v, want the replicas %v", upstreams, replicas)
	}
	if !strings.Contains(string(conf), "health_uri /readyz") {
		t.Error("the proxy does not leave out replicas that are not ready (health_uri /readyz)")
	}
}

// configVariables are the TENDERBOT_ variables Config reads.
func configVariables() map[string]bool {
	vars := map[string]bool{}
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		if name := typ.Field(i).Tag.Get("envconfig"); name != "" {
			vars[envPrefix+"_"+name] = true
		}
	}
	return vars
}
