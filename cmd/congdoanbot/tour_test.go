package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// linkCode matches the one-time code of /lienket, and checkInCode an
// event's check-in code: the random texts of the tour.
var (
	linkCode    = regexp.MustCompile(`(Mã liên kết: |/lienket )\d{6}`)
	checkInCode = regexp.MustCompile(`(Mã điểm danh «[^»]*»: |/diemdanh )\d{6}`)
)

// TestTourGolden runs the README's demo tour as a script and compares the
// transcript with the one committed: a change of shape must not change
// what a person reads. Run with -update after an intended change of text.
func TestTourGolden(t *testing.T) {
	script, err := os.ReadFile("testdata/tour.txt")
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, "tour.toml", "[bot]\nflood_per_minute = 1000\n")
	db := filepath.Join(t.TempDir(), "demo.db")
	r := exec(t, string(script), nil, "demo", "-config", cfg, "-db", db)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := checkInCode.ReplaceAllString(linkCode.ReplaceAllString(r.stdout, "${1}NNNNNN"), "${1}NNNNNN")
	const golden = "testdata/tour.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the tour's transcript changed; diff testdata/tour.golden against this (or run with -update if intended):\n%s", got)
	}
}
