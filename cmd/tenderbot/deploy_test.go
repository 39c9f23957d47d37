package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEnvExampleAgreesWithImage keeps `docker run --env-file deploy/.env`
// from undoing the image: a variable the Dockerfile sets (the database on
// the volume, the listener on every interface inside the container) must
// not be set to something else by the example env that people copy. The
// same holds for the systemd unit, where the EnvironmentFile wins over the
// unit's Environment= lines.
func TestEnvExampleAgreesWithImage(t *testing.T) {
	example := activeAssignments(t, "../../deploy/.env.example")
	image := dockerfileEnv(t, "../../deploy/Dockerfile")
	if len(image) == 0 {
		t.Fatal("found no ENV in deploy/Dockerfile")
	}
	unit := unitEnvironment(t, "../../deploy/tenderbot.service")
	for _, set := range []struct {
		file string
		env  map[string]string
	}{{"deploy/Dockerfile", image}, {"deploy/tenderbot.service", unit}} {
		for name, want := range set.env {
			if got, ok := example[name]; ok && got != want {
				t.Errorf("deploy/.env.example sets %s=%s, overriding %s's %s=%s", name, got, set.file, name, want)
			}
		}
	}
}

// activeAssignments reads the NAME=value lines of an env file that are not
// commented out.
func activeAssignments(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, value, ok := strings.Cut(line, "="); ok {
			env[name] = value
		}
	}
	return env
}

// dockerfileEnv reads the NAME=value pairs of a Dockerfile's ENV
// instructions, joining continued lines.
func dockerfileEnv(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var instructions []string
	var current strings.Builder
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			current.WriteString(cont + " ")
			continue
		}
		current.WriteString(line)
		instructions = append(instructions, current.String())
		current.Reset()
	}
	env := map[string]string{}
	pair := regexp.MustCompile(`([A-Z_][A-Z0-9_]*)=("[^"]*"|\S*)`)
	for _, ins := range instructions {
		rest, ok := strings.CutPrefix(ins, "ENV ")
		if !ok {
			continue
		}
		for _, m := range pair.FindAllStringSubmatch(rest, -1) {
			env[m[1]] = strings.Trim(m[2], `"`)
		}
	}
	return env
}

// unitEnvironment reads a systemd unit's Environment=NAME=value lines.
func unitEnvironment(t *testing.T, path string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for name, value := range activeAssignments(t, path) {
		if name != "Environment" {
			continue
		}
		if n, v, ok := strings.Cut(value, "="); ok {
			env[n] = v
		}
	}
	return env
}
